/**
 * What the engine (main thread) tells the driver (worker) about one run; it crosses the
 * thread boundary by structured clone, so it holds only plain data.
 */
export interface JavaScriptDriverData {
  /** Guest path of the user's program (a seed file). */
  readonly entry: string;
  /** Load `_state` before the program and save it after a successful run. */
  readonly autoPersistGlobals: boolean;
  /** Guest path of the state file. */
  readonly statePath: string;
  /** Guest source of the `_state` (de)serializer (from `@llm-wasm-sandbox/state`). */
  readonly persistSource: string;
  /** Line written to stderr before the skipped-values JSON (the state package's marker). */
  readonly skippedMarker: string;
  /** QuickJS stack limit in bytes; derived from the worker's stack when absent. */
  readonly maxStackBytes?: number;
}
