import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { type Daemon, freePort, run, startDaemon, waitFor } from "./daemon.js";

/** HAProxy on 127.0.0.1 in front of HTTP backends on loopback. */
export interface Haproxy {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The configuration it runs (for docs and debugging). */
  readonly config: string;
  stop(): Promise<void>;
}

/** Options of `startHaproxy`. */
export interface HaproxyOptions {
  /** Ports of the backends on 127.0.0.1. */
  readonly backends: readonly number[];
  /** Keep requests carrying this header on the server whose response set it (e.g. "mcp-session-id"). */
  readonly stickyHeader?: string;
}

const HAPROXY = "/usr/sbin/haproxy";

/**
 * Starts HAProxy (Debian package `haproxy`) balancing round-robin over the
 * backends, with TCP health checks every 200 ms, connection retries redispatched
 * to another server, and optional stickiness on a response header.
 */
export async function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  if (!existsSync(HAPROXY)) throw new Error("HAProxy is not installed — run: apt-get update && apt-get install -y --no-install-recommends haproxy");
  const dir = await mkdtemp(join(tmpdir(), "llm-sandbox-haproxy-"));
  const port = await freePort();
  const config = haproxyConfig(port, options);
  await writeFile(join(dir, "haproxy.cfg"), config);
  await run(HAPROXY, ["-c", "-f", join(dir, "haproxy.cfg")]);
  const daemon: Daemon = startDaemon("haproxy", HAPROXY, ["-db", "-f", join(dir, "haproxy.cfg")], { cwd: dir, logFile: join(dir, "haproxy.log") });
  await waitFor("HAProxy", Date.now() + 15_000, () => tcpOpen(port));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    config,
    stop: async () => {
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The configuration: see the README's "Scaling out" section, which shows the same settings. */
export function haproxyConfig(port: number, options: HaproxyOptions): string {
  const sticky = options.stickyHeader
    ? `  stick-table type string len 64 size 100k expire 30m
  stick on req.hdr(${options.stickyHeader})
  stick store-response res.hdr(${options.stickyHeader})
`
    : "";
  return `global
  maxconn 1024

defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  retries 3
  option redispatch

frontend sandbox
  bind 127.0.0.1:${port}
  default_backend sandbox_hosts

backend sandbox_hosts
  balance roundrobin
${sticky}${options.backends.map((p, i) => `  server host${i + 1} 127.0.0.1:${p} check inter 200ms fall 1 rise 2`).join("\n")}
`;
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
