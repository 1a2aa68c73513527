/**
 * Runs the user's program inside a prepared QuickJS context, Node-style: evaluate the
 * script (or module), then drain promise jobs and fire timers until nothing is left.
 * An uncaught exception — synchronous, in a timer, or a rejected top-level promise —
 * prints `Name: message` and the stack to stderr and ends the run with exit code 1.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core";

/** The prelude's private hooks (see prelude-source.ts). */
export interface PreludeHooks {
  readonly formatError: QuickJSHandle;
  readonly nextTimer: QuickJSHandle;
  readonly fireTimer: QuickJSHandle;
  readonly isPromise: QuickJSHandle;
}

/** How a program is run. */
export interface ProgramOptions {
  readonly code: string;
  readonly filename: string;
  readonly kind: "global" | "module";
  /** Wait for timers in real time (off when deterministic: virtual time only). */
  readonly realTime: boolean;
  writeStderr(text: string): void;
}

/** Exit code of a program whose top-level await never settled (as Node reports it). */
export const UNSETTLED_TLA_EXIT = 13;

/** Evaluates the program and runs its event loop; returns the exit code. */
export async function runProgram(vm: QuickJSContext, rt: QuickJSRuntime, hooks: PreludeHooks, options: ProgramOptions): Promise<number> {
  const uncaught = (error: QuickJSHandle): number => {
    options.writeStderr(`${formatError(vm, hooks, error)}\n`);
    return 1;
  };
  const evaluated = vm.evalCode(options.code, options.filename, { type: options.kind, backtraceBarrier: true });
  if (evaluated.error) return uncaught(evaluated.error);
  let main: QuickJSHandle | null = isPromise(vm, hooks, evaluated.value) ? evaluated.value : null;

  const started = performance.now();
  for (;;) {
    const jobs = rt.executePendingJobs(-1);
    if (jobs.error) return uncaught(jobs.error);
    if (main !== null) {
      const state = vm.getPromiseState(main);
      if (state.type === "rejected") return uncaught(state.error);
      if (state.type === "fulfilled") main = null;
    }
    const due = callNumber(vm, hooks.nextTimer);
    if (due < 0) break;
    if (options.realTime) {
      const wait = started + due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const fired = vm.callFunction(hooks.fireTimer, vm.undefined);
    if (fired.error) return uncaught(fired.error);
    fired.value.dispose();
  }
  if (main !== null && options.kind === "module") {
    options.writeStderr("Warning: Detected unsettled top-level await: the program waited on a promise that can never resolve\n");
    return UNSETTLED_TLA_EXIT;
  }
  return 0;
}

/** `Name: message` and the stack, as the prelude formats it (with a fallback if that throws). */
export function formatError(vm: QuickJSContext, hooks: PreludeHooks, error: QuickJSHandle): string {
  const r = vm.callFunction(hooks.formatError, vm.undefined, error);
  if (!r.error) return vm.getString(r.value);
  r.error.dispose();
  const dumped: unknown = vm.dump(error);
  if (typeof dumped === "object" && dumped !== null) {
    const { name, message, stack } = dumped as { name?: unknown; message?: unknown; stack?: unknown };
    return `${String(name ?? "Error")}: ${String(message ?? "")}${typeof stack === "string" ? `\n${stack}` : ""}`;
  }
  return `Uncaught ${String(dumped)}`;
}

function isPromise(vm: QuickJSContext, hooks: PreludeHooks, value: QuickJSHandle): boolean {
  if (vm.typeof(value) !== "object") return false;
  const r = vm.callFunction(hooks.isPromise, vm.undefined, value);
  if (r.error) {
    r.error.dispose();
    return false;
  }
  return vm.dump(r.value) === true;
}

function callNumber(vm: QuickJSContext, fn: QuickJSHandle): number {
  const r = vm.unwrapResult(vm.callFunction(fn, vm.undefined));
  return vm.getNumber(r);
}
