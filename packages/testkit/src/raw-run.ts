import type { RawRun } from "@llm-wasm-sandbox/core";

/**
 * A RawRun for testing a runtime's `interpret`: a clean exit with empty output,
 * overridden field by field.
 */
export function rawRun(overrides: Partial<RawRun> = {}): RawRun {
  return {
    exitCode: 0,
    trapReason: null,
    trapMessage: null,
    stdout: "",
    stderr: "",
    stdoutTruncated: false,
    stderrTruncated: false,
    fuelConsumed: 1,
    memoryUsedBytes: 1,
    durationMs: 1,
    journal: { entries: [] },
    plan: null,
    facts: [],
    ...overrides,
  };
}
