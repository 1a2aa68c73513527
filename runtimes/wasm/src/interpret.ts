/**
 * Reading a raw run of user WebAssembly: the language error is what the driver reported
 * on the control channel (an input it refused: bad WAT, an unknown import, a module over a
 * cap) or the trap itself.
 */
import type { LanguageError, RawRun, RunInterpretation } from "@llm-wasm-sandbox/core";
import { CommonErrorType } from "@llm-wasm-sandbox/core/common-error-type";
import { lastFact } from "@llm-wasm-sandbox/core/guest-facts";

const ADVICE: Record<string, readonly string[]> = {
  WatSyntaxError: ["Fix the WAT at the line and column shown; every form is an s-expression: (module (func (export \"_start\") ...))."],
  InvalidModule: ["The module parsed but does not validate: check operand types and stack balance at the function named in the message."],
  ModuleRefused: [
    "Import only wasi_snapshot_preview1 functions (fd_write, path_open, proc_exit, …); export a \"_start\" function; keep memory and tables under the limits shown.",
  ],
  unreachable: ["The module executed `unreachable` (or a Rust/C panic compiled to it): check the branch that reaches it."],
  trap: ["The module trapped (out-of-bounds memory access, integer divide by zero, bad call_indirect…): check addresses and divisors before use."],
};

/** Interprets a run (see module doc). */
export function interpretWasmRun(raw: RawRun): RunInterpretation {
  return { languageError: wasmLanguageError(raw) };
}

/** The language error of a failed run, or null when the failure is only an exit code or a limit. */
export function wasmLanguageError(raw: RawRun): LanguageError | null {
  const fact = lastFact(raw.facts, "error");
  if (fact) {
    return {
      name: fact.name,
      message: fact.message,
      guidance: [...(ADVICE[fact.name] ?? [])],
      kind: fact.name === "WatSyntaxError" ? CommonErrorType.SYNTAX_ERROR : CommonErrorType.RUNTIME_ERROR,
    };
  }
  if (raw.trapReason === "unreachable" || raw.trapReason === "trap") {
    return { name: "RuntimeError", message: raw.trapMessage ?? raw.trapReason, guidance: ADVICE[raw.trapReason] ?? [], kind: CommonErrorType.RUNTIME_ERROR };
  }
  return null;
}
