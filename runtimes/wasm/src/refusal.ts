/**
 * A run that never started: the input was not runnable (bad WAT, an unknown import, a
 * module over a cap). It is reported like a failed run — exit code 1 and the reason on
 * stderr — so the caller (often an LLM) reads it and fixes its module.
 */
import type { RawRun } from "@llm-wasm-sandbox/core";

/** Kinds of refusal, used as the language error name. */
export type RefusalKind = "WatSyntaxError" | "InvalidModule" | "ModuleRefused";

/** The stderr prefix of a refusal line (`interpret` parses it back). */
export const REFUSAL_PREFIX = "wasm: ";

/** Builds the RawRun of a refused input. */
export function refusedRun(kind: RefusalKind, message: string, startedAt: number): RawRun {
  return {
    exitCode: 1,
    trapReason: null,
    trapMessage: null,
    stdout: "",
    stderr: `${REFUSAL_PREFIX}${kind}: ${message}\n`,
    stdoutTruncated: false,
    stderrTruncated: false,
    fuelConsumed: 0,
    memoryUsedBytes: 0,
    durationMs: Date.now() - startedAt,
    journal: { entries: [] },
  };
}
