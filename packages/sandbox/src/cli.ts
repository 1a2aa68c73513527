#!/usr/bin/env node
/**
 * The `llm-wasm-sandbox` bin. `run` needs a pool thread, and a thread takes ~80 ms to boot
 * and load its worker entry: it is started first, so it boots on another core while this
 * one loads commander, core, zod and the runtime plugin (wasi-host `pool/pool-threads.ts`).
 * It also gets the start hint of the runtime the command line most likely uses: what the
 * previous run of that runtime loaded, which the thread starts preparing from the disk
 * cache right away (wasi-host `start-hint/start-hint.ts`), and the V8 wasm flags tuned for
 * this one-shot process, which it sets once it has booted (`cli/wasm-flags.ts`). These are
 * this file's only static imports; zod and the command line load after them.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { prestartPool, type PrestartHint } from "@llm-wasm-sandbox/wasi-host/prestart";
import { LIKELY_RUNTIME, likelyRuntimeOf } from "./cli/likely-runtime.js";
import { cliWasmFlags } from "./cli/wasm-flags.js";

if (process.argv[2] === "run") {
  const likely = likelyRuntimeOf(process.argv.slice(3));
  const v8Flags = cliWasmFlags(likely);
  const hint = startHint(likely, v8Flags);
  try {
    prestartPool({}, hint);
  } catch {
    // A missing build: the run reports it with its own message.
  }
  // No thread to set them once booted: set now, before anything compiles.
  if (hint === undefined) for (const flag of v8Flags) setFlagsFromString(flag);
}
// zod compiles a parser for each object schema on its first parse (`new Function`): worth it
// for a host validating many inputs, ~30 ms of pure cost on this thread for a process that
// validates a handful once. Set before core (and its schemas) load: schemas read it when built.
const { config } = await import("zod");
config({ jitless: true });
const { main } = await import("./cli/main.js");
await main(process.argv);

/** The hint of `runtime`; drivers may be imported ahead only from its installed package's build. */
function startHint(runtime: string | null, v8Flags: readonly string[]): PrestartHint | undefined {
  if (runtime === null) return undefined;
  if (!Object.values(LIKELY_RUNTIME).includes(runtime)) return { name: runtime, v8Flags };
  try {
    return { name: runtime, v8Flags, driverDir: dirname(fileURLToPath(import.meta.resolve(`@llm-wasm-sandbox/runtime-${runtime}`))) };
  } catch {
    return { name: runtime, v8Flags }; // not installed: the run says so
  }
}
