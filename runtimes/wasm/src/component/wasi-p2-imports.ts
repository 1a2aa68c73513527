/**
 * The WASI 0.2 world a component sees inside a run (worker side). Streams, errors and
 * pollables come from `@bytecodealliance/preview2-shim`'s browser build (pure JavaScript,
 * handler-driven, loaded by file path so Node's `node` export condition never selects the
 * Node build, whose `exit` would call `process.exit` and whose stdio and env are the
 * host's) — the copy that `@bytecodealliance/jco-transpile` depends on, so the glue and
 * the shim always come from the same jco release. Stdout/stderr go to the run's capped sinks, the environment and arguments are
 * the run's, `exit` ends the run with its code, clocks and randomness come from the run's
 * GuestClock (so `deterministic` holds), and the filesystem is the run's VirtualFs
 * (filesystem.ts).
 */
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ProcExit, type GuestContext } from "@llm-wasm-sandbox/wasi-host/driver";
import { resolveJcoDependency } from "../jco.js";
import { createFilesystem } from "./filesystem.js";

/** A handler-driven stream factory of the shim's browser io module. */
interface BrowserIo {
  readonly streams: { readonly InputStream: unknown; readonly OutputStream: unknown };
  readonly error: { readonly Error: unknown };
  readonly poll: Record<string, unknown>;
  inputStreamCreate(handler: { blockingRead(len: bigint): Uint8Array; read?(len: bigint): Uint8Array }): unknown;
  outputStreamCreate(handler: { write(buf: Uint8Array): void; blockingFlush?(): void; checkWrite?(): bigint }): unknown;
  ioErrorCreate(message: string): object;
  pollableCreate(source?: unknown): unknown;
}

/** The import object keyed by WASI interface (with and without `@version`). */
export type WasiP2Imports = Record<string, Record<string, unknown>>;

let io: Promise<BrowserIo> | null = null;

/** Loads the shim's browser io module (once per worker). */
export function loadBrowserIo(): Promise<BrowserIo> {
  io ??= (async () => {
    const nodeEntry = resolveJcoDependency("@bytecodealliance/preview2-shim");
    // dist/nodejs/index.js → dist/browser/io.js
    const browserIo = join(dirname(dirname(nodeEntry)), "browser", "io.js");
    return (await import(pathToFileURL(browserIo).href)) as BrowserIo;
  })();
  return io;
}

/** Builds the imports for one run from the driver's context. */
export async function createWasiP2Imports(ctx: GuestContext): Promise<WasiP2Imports> {
  const shim = await loadBrowserIo();
  // Every host call is a boundary where the core instances' fuel is pooled again.
  const sync = ctx.shareFuel;
  let stdinPos = 0;
  const stdin = shim.inputStreamCreate({
    blockingRead(len: bigint): Uint8Array {
      sync();
      if (stdinPos >= ctx.stdin.length) throw { tag: "closed" };
      const chunk = ctx.stdin.slice(stdinPos, stdinPos + Math.min(Number(len), 65536));
      stdinPos += chunk.length;
      return chunk;
    },
  });
  const stdout = shim.outputStreamCreate({ write: (buf) => (sync(), ctx.writeStdout(buf.slice())), blockingFlush: sync });
  const stderr = shim.outputStreamCreate({ write: (buf) => (sync(), ctx.writeStderr(buf.slice())), blockingFlush: sync });
  const clock = ctx.clock;
  const ns = (t: bigint): { seconds: bigint; nanoseconds: number } => ({ seconds: t / 1_000_000_000n, nanoseconds: Number(t % 1_000_000_000n) });
  const randomBytes = (len: bigint): Uint8Array => {
    sync();
    const n = Number(len);
    if (n > 16 * 1024 * 1024) throw new RangeError("random byte request over 16 MiB");
    const buf = new Uint8Array(n);
    clock.fillRandom(buf);
    return buf;
  };
  const randomU64 = (): bigint => new DataView(randomBytes(8n).buffer).getBigUint64(0, true);
  const exit = (status: { tag: "ok" | "err" }): never => {
    throw new ProcExit(status.tag === "ok" ? 0 : 1);
  };

  const filesystem = createFilesystem(ctx.fs, shim, sync);
  const interfaces: WasiP2Imports = {
    "wasi:cli/environment": {
      getEnvironment: () => Object.entries(ctx.env),
      getArguments: () => [...ctx.argv],
      initialCwd: () => "/app",
    },
    "wasi:cli/exit": { exit, exitWithCode: (code: number) => { throw new ProcExit(code); } },
    "wasi:cli/stdin": { getStdin: () => stdin },
    "wasi:cli/stdout": { getStdout: () => stdout },
    "wasi:cli/stderr": { getStderr: () => stderr },
    "wasi:cli/terminal-input": { TerminalInput: class TerminalInput {} },
    "wasi:cli/terminal-output": { TerminalOutput: class TerminalOutput {} },
    "wasi:cli/terminal-stdin": { getTerminalStdin: () => undefined },
    "wasi:cli/terminal-stdout": { getTerminalStdout: () => undefined },
    "wasi:cli/terminal-stderr": { getTerminalStderr: () => undefined },
    "wasi:io/streams": shim.streams,
    "wasi:io/error": shim.error,
    "wasi:io/poll": shim.poll,
    "wasi:clocks/wall-clock": { now: () => (sync(), ns(clock.realtimeNs())), resolution: () => ({ seconds: 0n, nanoseconds: 1000 }) },
    "wasi:clocks/monotonic-clock": {
      now: () => (sync(), clock.monotonicNs()),
      resolution: () => 1000n,
      // Sleeping is not offered to components: a pollable that is ready at once.
      subscribeInstant: () => shim.pollableCreate(),
      subscribeDuration: () => shim.pollableCreate(),
    },
    "wasi:random/random": { getRandomBytes: randomBytes, getRandomU64: randomU64 },
    "wasi:random/insecure": { getInsecureRandomBytes: randomBytes, getInsecureRandomU64: randomU64 },
    "wasi:random/insecure-seed": { insecureSeed: () => [randomU64(), randomU64()] },
    "wasi:filesystem/preopens": filesystem.preopens,
    "wasi:filesystem/types": filesystem.types,
  };
  return interfaces;
}

/** Looks an interface up by its versioned name (`wasi:cli/stdout@0.2.3`) or bare name. */
export function withVersions(imports: WasiP2Imports, requested: readonly string[]): WasiP2Imports {
  const out: WasiP2Imports = { ...imports };
  for (const name of requested) {
    const bare = name.replace(/@[^@]*$/, "");
    const found = imports[bare];
    if (found) out[name] = found;
  }
  return out;
}
