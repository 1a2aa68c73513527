/**
 * The CLI's V8 wasm tiering budget. V8 runs a wasm function as Liftoff code first and
 * queues it for TurboFan once ~1.8 MB of its code has executed (`--wasm-tiering-budget`).
 * The runtimes' interpreter loops are huge functions (CPython's eval loop is 125 KB of
 * wasm, Ruby's largest over 70 KB): a hello already queues them, and TurboFan takes
 * 0.1–0.9 s per such function on a background thread. A long-lived host earns that back;
 * a one-shot process does not, and cannot even exit early: Node's exit waits for V8's
 * background compile job to drain its queue (measured: 50–170 ms after `run hello.rb`,
 * over a second after a 20-line Ruby script that queued 25 functions). With a budget
 * ~55× V8's default, a short program never queues one, and a long one still tiers up
 * its hot functions after ~100 MB of their code ran (tens of ms in Liftoff each).
 */
import { setFlagsFromString } from "node:v8";

/** The CLI's `--wasm-tiering-budget` (V8's default is 1,800,000). */
export const CLI_WASM_TIERING_BUDGET = 100_000_000;

/**
 * Sets the CLI's tiering budget for this process (every thread: V8 flags are per process)
 * unless the node command line sets one itself (`node --wasm-tiering-budget=N cli.js`).
 * Call before any wasm module is compiled: a module's functions start with the budget
 * in force when it is compiled. Returns whether it set it. (`setFlags` is for tests.)
 */
export function raiseWasmTieringBudget(execArgv: readonly string[] = process.execArgv, setFlags: (flags: string) => void = setFlagsFromString): boolean {
  if (execArgv.some((arg) => /^--wasm[-_]tiering[-_]budget(=|$)/.test(arg))) return false;
  setFlags(`--wasm-tiering-budget=${CLI_WASM_TIERING_BUDGET}`);
  return true;
}
