/**
 * Runs the user's program inside a prepared QuickJS context, Node-style: evaluate the
 * script (or module), then drain promise jobs and fire timers until nothing is left.
 * An uncaught exception — synchronous, in a timer, or a rejected top-level promise —
 * prints `Name: message` and the stack to stderr and ends the run with exit code 1.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core";
import type { GuestFormat } from "./guest-format.js";
import type { TimerQueue } from "./timers.js";

/** How a program is run. */
export interface ProgramOptions {
  readonly code: string;
  readonly filename: string;
  readonly kind: "global" | "module";
  /** Waits `ms` of real time for the next timer; null when deterministic (virtual time only). */
  readonly wait: ((ms: number) => Promise<void> | void) | null;
  writeStderr(text: string): void;
  /** Called with the uncaught error that ends the program (before it is printed). */
  onUncaught(error: QuickJSHandle): void;
}

/** Exit code of a program whose top-level await never settled (as Node reports it). */
export const UNSETTLED_TLA_EXIT = 13;

/** Evaluates the program and runs its event loop; returns the exit code. */
export async function runProgram(vm: QuickJSContext, rt: QuickJSRuntime, timers: TimerQueue, format: GuestFormat, options: ProgramOptions): Promise<number> {
  // Handles are released once read: a warm session's context lives on, and a handle
  // never disposed would keep its value alive in the guest's heap for good.
  const uncaught = (error: QuickJSHandle): number => {
    options.onUncaught(error);
    options.writeStderr(`${format.errorText(error)}\n`);
    if (error.alive) error.dispose();
    return 1;
  };
  const evaluated = vm.evalCode(options.code, options.filename, { type: options.kind, backtraceBarrier: true });
  if (evaluated.error) return uncaught(evaluated.error);
  // A script whose last expression is a promise (`main()`) is awaited like a module's
  // top-level await, so an async failure is not silently lost.
  const first = vm.getPromiseState(evaluated.value);
  const main: QuickJSHandle | null = first.type === "fulfilled" && first.notAPromise === true ? null : evaluated.value;
  try {
    return await eventLoop(vm, rt, timers, options, uncaught, main);
  } finally {
    if (evaluated.value.alive) evaluated.value.dispose();
  }
}

/** Drains promise jobs and fires timers until none is left; `main` is the program's own promise, if any. */
async function eventLoop(
  vm: QuickJSContext,
  rt: QuickJSRuntime,
  timers: TimerQueue,
  options: ProgramOptions,
  uncaught: (error: QuickJSHandle) => number,
  program: QuickJSHandle | null,
): Promise<number> {
  let main = program;
  // Real time at which the queue's virtual clock read 0: due times are virtual ms since then. In
  // a warm session the queue continues the previous executions' clock, so this execution starts
  // at its current reading (measured from this start, a timer waited all earlier waits again).
  const started = performance.now() - timers.clock;
  for (;;) {
    const jobs = rt.executePendingJobs(-1);
    if (jobs.error) return uncaught(jobs.error);
    if (main !== null) {
      const state = vm.getPromiseState(main);
      if (state.type === "rejected") return uncaught(state.error);
      if (state.type === "fulfilled") {
        if (state.value !== main && state.value.alive) state.value.dispose();
        main = null;
      }
    }
    const due = timers.nextDue();
    if (due < 0) break;
    if (options.wait !== null) {
      // A wait may end early (the run clock caps one sleep): the timer fires only when due.
      for (let left = started + due - performance.now(); left > 0; left = started + due - performance.now()) await options.wait(left);
    }
    const thrown = timers.fireNext();
    if (thrown !== null) return uncaught(thrown);
  }
  if (main !== null && options.kind === "module") {
    options.writeStderr("Warning: Detected unsettled top-level await: the program waited on a promise that can never resolve\n");
    return UNSETTLED_TLA_EXIT;
  }
  return 0;
}
