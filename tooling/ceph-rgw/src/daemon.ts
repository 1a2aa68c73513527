import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer, type Server } from "node:net";
import { promisify } from "node:util";

/** A long-running process started for a test, stopped by `stop()` or, at the latest, when the test process dies. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/*
 * Every daemon runs under a small watchdog shell that holds our end of a pipe on
 * its stdin: when the test process exits — even by SIGKILL — the pipe closes and
 * the watchdog kills the daemon, so a crashed test run leaves no Ceph or HAProxy
 * behind. The daemon's own output goes to `logFile`.
 */
// (Background jobs of a non-interactive shell read /dev/null unless told otherwise: keep the pipe on fd 3.)
const WATCHDOG = `exec 3<&0
"$@" </dev/null 3<&- & d=$!
{ cat <&3 >/dev/null; kill -KILL $d 2>/dev/null; } &
w=$!
wait $d; s=$?
kill $w 2>/dev/null
exit $s`;

/** Starts `command args…` under the watchdog. */
export function startDaemon(name: string, command: string, args: readonly string[], options: { cwd?: string; logFile: string; env?: NodeJS.ProcessEnv }): Daemon {
  const child: ChildProcess = spawn("sh", ["-c", WATCHDOG, name, command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const log = createWriteStream(options.logFile, { flags: "a" });
  // Two sources into one log: neither may end it.
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      log.end();
      resolve();
    }),
  );
  // The pipe must not keep the test process alive.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.unref();
  return {
    name,
    pid: child.pid ?? -1,
    exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Closing stdin makes the watchdog SIGKILL the daemon; SIGTERM the shell's child first for a clean exit.
      if (signal !== "SIGKILL" && child.pid) await promisify(execFile)("pkill", [`-${signal.replace("SIG", "")}`, "-P", String(child.pid)]).catch(() => undefined);
      const done = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
      if (!done) child.stdin?.end();
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * `count` distinct TCP ports free on 127.0.0.1 right now: each is bound until all are
 * picked, then all are released. Ports picked one at a time (bound, released, the next
 * bound) can come back twice — Linux hands out a just-released port again about once in
 * 8 000 pairs — and two daemons told to listen on one port fail to start.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(await listening(server));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** A TCP port free on 127.0.0.1 right now (bound and released). */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

function listening(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (typeof address === "object" && address) resolve(address.port);
      else reject(new Error("no port"));
    });
  });
}

/** Runs a command to completion; rejects with its output on failure or after `timeoutMs`. */
export async function run(command: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, [...args], { cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${err.message}\n${err.stderr ?? ""}${err.stdout ?? ""}`.trim());
  }
}

/** Retries `probe` until it returns true or `deadline` passes. */
export async function waitFor(what: string, deadline: number, probe: () => Promise<boolean>, every = 250): Promise<void> {
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
