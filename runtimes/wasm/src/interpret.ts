/**
 * Reading a raw run of user WebAssembly: success is exit code 0 without a trap; the
 * language error is a refusal (`wasm: Kind: message`) or the trap itself.
 */
import { CommonErrorType, type LanguageError, type RawRun, type RunInterpretation } from "@llm-wasm-sandbox/core";
import { REFUSAL_PREFIX } from "./refusal.js";

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
  const success = raw.exitCode === 0 && raw.trapReason === null;
  return { success, languageError: success ? null : wasmLanguageError(raw) };
}

/** The language error of a failed run, or null when the failure is only an exit code or a limit. */
export function wasmLanguageError(raw: RawRun): LanguageError | null {
  const line = raw.stderr.split("\n").find((l) => l.startsWith(REFUSAL_PREFIX));
  if (line) {
    const m = /^wasm: (\w+): ([\s\S]*)$/.exec(line);
    if (m) {
      const name = m[1]!;
      const message = raw.stderr.slice(raw.stderr.indexOf(line) + REFUSAL_PREFIX.length + name.length + 2).trimEnd();
      return {
        name,
        message,
        guidance: ADVICE[name] ?? [],
        kind: name === "WatSyntaxError" ? CommonErrorType.SYNTAX_ERROR : CommonErrorType.RUNTIME_ERROR,
      };
    }
  }
  if (raw.trapReason === "unreachable" || raw.trapReason === "trap") {
    return { name: "RuntimeError", message: raw.trapMessage ?? raw.trapReason, guidance: ADVICE[raw.trapReason] ?? [], kind: CommonErrorType.RUNTIME_ERROR };
  }
  return null;
}
