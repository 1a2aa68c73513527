/**
 * `@llm-wasm-sandbox/wasi-host/prestart`: start the pool's worker thread from a process's
 * first lines (see `pool/pool-threads.ts`). A separate entry, so importing it loads the thread pool
 * and nothing of core's main entry or zod.
 */
export { prestartPool } from "./pool/pool-threads.js";
export type { PrestartHint } from "./start-hint/start-hint.js";
