/**
 * The CLI's V8 wasm flags. The CLI is a one-shot process that runs one program, so it
 * tunes V8's WebAssembly pipeline for that, for its own process only (the library never
 * sets a flag of its host's process). V8 flags are per process: they apply to the pool's
 * threads too, and they must be set before any module is compiled.
 *
 * - **Tiering budget.** V8 runs a wasm function as Liftoff code first and queues it for
 *   TurboFan once ~1.8 MB of its code has executed (`--wasm-tiering-budget`). The
 *   runtimes' interpreter loops are huge functions (CPython's eval loop is 125 KB of wasm,
 *   Ruby's largest over 70 KB): a hello already queues them, and TurboFan takes 0.1–0.9 s
 *   per such function on a background thread. A long-lived host earns that back; a
 *   one-shot process does not, and cannot even exit early: Node's exit waits for V8's
 *   background compile job to drain its queue (measured: 50–170 ms after `run hello.rb`,
 *   over a second after a 20-line Ruby script that queued 25 functions). With a budget
 *   ~55× V8's default, a short program never queues one, and a long one still tiers up
 *   its hot functions after ~100 MB of their code ran (tens of ms in Liftoff each).
 * - **Lazy validation, for the built-in interpreters.** V8 compiles wasm functions lazily
 *   (on first call) but validates every function of a module when it compiles it: for
 *   Ruby's 40 MB image that is ~100 ms of CPU per process, for Python's 14 MB ~20 ms,
 *   while a hello calls a small part of either. With `--wasm-lazy-validation` a function
 *   is validated when it is first compiled, right before it first runs, so nothing
 *   invalid ever runs. The module was validated in full before that anyway: the meter
 *   refuses any input `WebAssembly.validate` rejects (which validates everything whatever
 *   the flag), and the disk cache hands out only checksummed meter output. What the flag
 *   would change is the message for an invalid module: `WebAssembly.Module` no longer
 *   names the failing function. That matters for a user's own module (`.wat`/`.wasm`, the
 *   wasm runtime), so those runs, `--plugin` runtimes and commands whose runtime cannot
 *   be told from argv keep V8's eager validation. The flag follows the runtime the
 *   command line most likely uses (`likely-runtime.ts`); the run itself does not depend
 *   on it.
 *
 * A flag given on the node command line (`node --no-wasm-lazy-validation cli.js`) wins.
 *
 * Where they are set: by the pre-started pool thread, once it has booted and before it
 * compiles anything (wasi-host `PrestartHint.v8Flags`), not by the bin at start. Any
 * changed flag changes V8's flag hash, and every built-in Node module compiled after that,
 * in any thread, misses Node's code cache: set at start, the flags made the pool thread's
 * boot ~20 ms and the main thread's later built-ins ~10 ms more CPU. Only a process that
 * starts no thread ahead (its runtime cannot be told from argv) sets them at start.
 */

/** The CLI's `--wasm-tiering-budget` (V8's default is 1,800,000). */
export const CLI_WASM_TIERING_BUDGET = 100_000_000;

/** Runtimes whose images are all the project's own: lazily validated in the CLI (see above). */
const LAZY_VALIDATION_RUNTIMES: ReadonlySet<string> = new Set(["javascript", "lua", "python", "ruby"]);

/**
 * The V8 flags the CLI sets for a run of `likelyRuntime` (null: unknown), leaving out
 * any the node command line (`execArgv`) already sets, in either spelling or sign.
 */
export function cliWasmFlags(likelyRuntime: string | null, execArgv: readonly string[] = process.execArgv): string[] {
  const flags: string[] = [];
  if (!givesFlag(execArgv, "wasm-tiering-budget")) flags.push(`--wasm-tiering-budget=${CLI_WASM_TIERING_BUDGET}`);
  if (likelyRuntime !== null && LAZY_VALIDATION_RUNTIMES.has(likelyRuntime) && !givesFlag(execArgv, "wasm-lazy-validation")) flags.push("--wasm-lazy-validation");
  return flags;
}

/** `execArgv` sets V8 flag `name` (`--name`, `--name=v`, `--no-name`; `-` or `_` in either place). */
function givesFlag(execArgv: readonly string[], name: string): boolean {
  const pattern = new RegExp(`^--(no[-_])?${name.replace(/-/g, "[-_]")}(=|$)`);
  return execArgv.some((arg) => pattern.test(arg));
}
