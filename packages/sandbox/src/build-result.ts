import {
  type CommitResult,
  errorGuidance,
  type ExecutionPolicy,
  fuelAnalysis,
  isInternalPath,
  type RawRun,
  type RunInterpretation,
  type SandboxResult,
  type SandboxResultFields,
  type ToolCallRecord,
} from "@llm-wasm-sandbox/core";

/** Joins what the engine measured, what the runtime read from it and what storage committed. */
export function buildResult(input: {
  raw: RawRun;
  interpretation: RunInterpretation;
  commit: Pick<CommitResult, "created" | "modified" | "deleted">;
  policy: ExecutionPolicy;
  sessionId: string;
  runtime: string;
  toolCalls?: readonly ToolCallRecord[];
  /** Whether a keepAlive run continued the live interpreter, and the note when it ran cold after an earlier one. */
  warm?: { readonly warm: boolean; readonly note: string | null };
}): SandboxResult {
  const { raw, interpretation: interp, commit, policy } = input;
  const { stdout, stderr } = raw;
  const visible = (paths: readonly string[]) => paths.filter((p) => !isInternalPath(p));
  const fields: SandboxResultFields = {
    stdout,
    stderr,
    exitCode: raw.exitCode,
    fuelConsumed: raw.fuelConsumed,
    memoryUsedBytes: raw.memoryUsedBytes,
    durationMs: raw.durationMs,
    filesCreated: visible(commit.created),
    filesModified: visible(commit.modified),
    filesDeleted: visible(commit.deleted),
    sessionId: input.sessionId,
    runtime: input.runtime,
    stdoutTruncated: raw.stdoutTruncated,
    stderrTruncated: raw.stderrTruncated,
    fuelAnalysis: fuelAnalysis(raw.fuelConsumed, policy.fuelBudget, raw.trapReason === "out_of_fuel", { durationMs: raw.durationMs, timeoutMs: policy.timeoutMs }),
    notes: [...(raw.notes ?? []), ...(interp.notes ?? []), ...(input.warm?.note ? [input.warm.note] : [])],
    toolCalls: [...(input.toolCalls ?? [])],
    warm: input.warm?.warm ?? false,
    prewarmed: raw.prewarmed === true,
  };
  if (raw.trapReason === null && (interp.success ?? raw.exitCode === 0)) return { ...fields, success: true, trapped: false, trapReason: null, trapMessage: null, errorGuidance: null };
  const guidance = errorGuidance({
    trapReason: raw.trapReason,
    trapMessage: raw.trapMessage,
    stderr,
    stdoutTruncated: raw.stdoutTruncated,
    stderrTruncated: raw.stderrTruncated,
    fuelBudget: policy.fuelBudget,
    memoryBytes: policy.memoryBytes,
    timeoutMs: policy.timeoutMs,
    languageError: interp.languageError ?? null,
  });
  if (raw.trapReason === null) return { ...fields, success: false, trapped: false, trapReason: null, trapMessage: null, errorGuidance: guidance };
  return { ...fields, success: false, trapped: true, trapReason: raw.trapReason, trapMessage: raw.trapMessage, errorGuidance: guidance };
}
