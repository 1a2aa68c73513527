/**
 * The entry of a pre-started pool's threads when the pool has a start hint (see
 * `pool/pool-threads.ts`): it starts the hint's speculation first and only then loads the
 * worker module (`worker.ts`). Loaded statically, that module's graph (the VFS, the WASI
 * and emscripten layers, the run machinery) had to load and evaluate before
 * `startSpeculation` at its top could run; now the hinted image's read and compile (on
 * V8's threads) overlap that loading. The speculation runs once per pool (its claim), so
 * the call at the top of `worker.ts` does nothing here. Exports what `worker.ts` exports
 * for the pool's thread entry (`pool/thread-entry.ts`).
 */
import { workerData } from "node:worker_threads";
import { startSpeculation } from "./speculate.js";

startSpeculation(workerData);
const worker = await import("../worker.js");

/** Runs one task (`worker.ts`'s default export). */
export default worker.default;
/** The pool's module preparation task (`worker.ts`'s `prepare`). */
export const prepare = worker.prepare;
