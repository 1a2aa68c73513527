/**
 * Moving a task's result to the main thread instead of copying it: a handler running in a
 * pool thread returns `moveResult(value, buffers)`, and the thread's entry
 * (`thread-entry.ts`) posts `value` with `buffers` in the transfer list (they leave the
 * thread). A tiny module of its own, so a handler can mark results without loading anything.
 */

/** The mark of a moved result (a registered symbol: the same in every module copy). */
const MOVED = Symbol.for("llm-wasm-sandbox.pool.moved");

interface Moved<T> {
  readonly [MOVED]: true;
  readonly value: T;
  readonly transfer: readonly ArrayBuffer[];
}

/**
 * `value`, to be posted with `transfer` moved (not copied) to the main thread. Returns
 * `value` itself when there is nothing to move.
 */
export function moveResult<T>(value: T, transfer: readonly ArrayBuffer[]): T {
  if (transfer.length === 0) return value;
  const moved: Moved<T> = { [MOVED]: true, value, transfer: [...transfer] };
  return moved as unknown as T;
}

/** True when `value` is a result `moveResult` marked. */
export function isMovedResult(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Partial<Moved<unknown>>)[MOVED] === true;
}

/** What to post for a handler's result: the value, and the buffers to move with it. */
export function unwrapMoved(result: unknown): { readonly value: unknown; readonly transfer: readonly ArrayBuffer[] } {
  if (!isMovedResult(result)) return { value: result, transfer: [] };
  const moved = result as Moved<unknown>;
  return { value: moved.value, transfer: moved.transfer };
}
