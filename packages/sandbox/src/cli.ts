#!/usr/bin/env node
/**
 * The `llm-wasm-sandbox` bin. `run` needs a pool thread, and a thread takes ~80 ms to boot
 * and load its worker entry: it is started first, so it boots on another core while this
 * one loads commander, core, zod and the runtime plugin (wasi-host `pool/pool-threads.ts`).
 * The prestart entry is this file's only static import; the command line loads after it.
 */
import { prestartPool } from "@llm-wasm-sandbox/wasi-host/prestart";

if (process.argv[2] === "run") {
  try {
    prestartPool();
  } catch {
    // A missing build: the run reports it with its own message.
  }
}
const { main } = await import("./cli/main.js");
await main(process.argv);
