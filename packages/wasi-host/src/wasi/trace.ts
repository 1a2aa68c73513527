/**
 * An opt-in strace for guests: wraps every import so each call logs its name,
 * arguments and errno result (`LLM_SANDBOX_TRACE=1`, or `trace: true`).
 */
import type { WasiFunction } from "./syscall-context.js";

/** Where trace lines go (default: the host's stderr). */
export type TraceSink = (line: string) => void;

/** True when LLM_SANDBOX_TRACE=1 is set in the host environment. */
export function traceRequested(): boolean {
  return typeof process !== "undefined" && process.env.LLM_SANDBOX_TRACE === "1";
}

/** Wraps `imports` in a Proxy that logs every call. */
export function traceImports<T extends Record<string, WasiFunction>>(imports: T, sink: TraceSink = defaultSink): T {
  return new Proxy(imports, {
    get(target, prop, receiver) {
      const fn: unknown = Reflect.get(target, prop, receiver);
      if (typeof fn !== "function" || typeof prop !== "string") return fn;
      return (...args: unknown[]) => {
        const shown = args.map((a) => (typeof a === "bigint" ? `${a}n` : String(a))).join(", ");
        try {
          const result: unknown = (fn as (...a: unknown[]) => unknown)(...args);
          sink(`[wasi] ${prop}(${shown}) = ${String(result)}`);
          return result;
        } catch (error) {
          sink(`[wasi] ${prop}(${shown}) threw ${error instanceof Error ? error.message : String(error)}`);
          throw error;
        }
      };
    },
  });
}

function defaultSink(line: string): void {
  process.stderr.write(`${line}\n`);
}
