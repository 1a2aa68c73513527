/**
 * piscina's `move()` for code that runs inside a pool thread, without importing piscina's
 * main entry there: that entry is the whole pool implementation (task queues, histograms,
 * timers, its package.json), and loading it cost every new thread 10–20 ms before its
 * first task. piscina's own worker runtime, which runs the task and posts its result,
 * decides whether a result is moved with `isMovable` from its `common` module; marking the
 * result with that same module's `markMovable` (already loaded in the thread: the worker
 * runtime required it) is exactly what `move()` does.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

interface PiscinaCommon {
  markMovable(value: object): void;
  isMovable(value: unknown): boolean;
}

/** piscina's registered symbols for a transferable result (`Piscina.transferableSymbol` / `valueSymbol`). */
const TRANSFERABLE = Symbol.for("Piscina.transferable");
const VALUE = Symbol.for("Piscina.valueOf");

let common: PiscinaCommon | null = null;

/** The `common` module of the piscina package this one depends on (the instance piscina's worker runtime uses). */
function piscinaCommon(): PiscinaCommon {
  if (common === null) {
    const require = createRequire(import.meta.url);
    const loaded = require(join(dirname(require.resolve("piscina")), "common.js")) as Partial<PiscinaCommon>;
    if (typeof loaded.markMovable !== "function" || typeof loaded.isMovable !== "function") {
      throw new Error("piscina's dist/common.js no longer exports markMovable/isMovable: update pool/worker-move.ts for this piscina version");
    }
    common = loaded as PiscinaCommon;
  }
  return common;
}

/**
 * The task result `value`, posted to the main thread with `transfer` moved rather than
 * copied (piscina's `move`). Returns `value` itself when there is nothing to move.
 */
export function moveResult<T>(value: T, transfer: readonly ArrayBuffer[]): T {
  if (transfer.length === 0) return value;
  const wrapped = { [TRANSFERABLE]: [...transfer], [VALUE]: value };
  piscinaCommon().markMovable(wrapped);
  return wrapped as unknown as T;
}

/** True when `value` is a result `moveResult` wrapped (for tests). */
export function isMovedResult(value: unknown): boolean {
  return piscinaCommon().isMovable(value);
}
