import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { SandboxError, type SandboxResult } from "llm-wasm-sandbox";

/** A successful tool result: readable text plus the same data as structuredContent. */
export function ok(text: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: data };
}

/** A tool error the model can act on; the server keeps serving. */
export function fail(e: unknown): CallToolResult {
  const message = SandboxError.isInstance(e) ? e.message.replace(/^\[llm-wasm-sandbox\] /, "") : `internal error: ${(e as Error)?.message ?? String(e)}`;
  return { content: [{ type: "text", text: `Error: ${message}` }], isError: true };
}

/** Runs a tool body, turning thrown errors into error results. */
export async function guarded(fn: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    return fail(e);
  }
}

/** snake_case view of a SandboxResult for structuredContent. */
export function executionData(r: SandboxResult): Record<string, unknown> {
  return {
    success: r.success,
    stdout: r.stdout,
    stderr: r.stderr,
    exit_code: r.exitCode,
    session_id: r.sessionId,
    language: r.runtime,
    fuel_consumed: r.fuelConsumed,
    memory_used_bytes: r.memoryUsedBytes,
    duration_ms: Math.round(r.durationMs),
    files_created: r.filesCreated,
    files_modified: r.filesModified,
    files_deleted: r.filesDeleted,
    trapped: r.trapped,
    trap_reason: r.trapReason,
    stdout_truncated: r.stdoutTruncated,
    stderr_truncated: r.stderrTruncated,
    fuel_analysis: {
      status: r.fuelAnalysis.status,
      utilization_percent: r.fuelAnalysis.utilizationPercent,
      recommendation: r.fuelAnalysis.recommendation,
      suggested_budget: r.fuelAnalysis.suggestedBudget,
    },
    error_guidance: r.errorGuidance
      ? { error_type: r.errorGuidance.errorType, error_message: r.errorGuidance.errorMessage, actionable_guidance: r.errorGuidance.actionableGuidance }
      : null,
    notes: r.notes,
  };
}

/** The text an LLM reads after execute_code. */
export function executionText(r: SandboxResult): string {
  const lines: string[] = [];
  lines.push(r.success ? "✓ Execution succeeded" : `✗ Execution failed${r.trapReason ? ` (${r.trapReason})` : ""} — exit code ${r.exitCode}`);
  if (r.stdout) lines.push("", "stdout:", r.stdout.trimEnd() + (r.stdoutTruncated ? "\n[stdout truncated at the output cap]" : ""));
  if (r.stderr) lines.push("", "stderr:", r.stderr.trimEnd() + (r.stderrTruncated ? "\n[stderr truncated at the output cap]" : ""));
  const files = [
    ...r.filesCreated.map((f) => `+ /app/${f}`),
    ...r.filesModified.map((f) => `~ /app/${f}`),
    ...r.filesDeleted.map((f) => `- /app/${f}`),
  ];
  if (files.length) lines.push("", "files:", ...files);
  lines.push(
    "",
    `session_id: ${r.sessionId} · fuel ${r.fuelConsumed.toLocaleString("en-US")} (${r.fuelAnalysis.utilizationPercent}% of budget, ${r.fuelAnalysis.status}) · memory ${(r.memoryUsedBytes / 1048576).toFixed(1)} MiB · ${Math.round(r.durationMs)} ms`,
  );
  if (r.fuelAnalysis.status !== "efficient" && r.fuelAnalysis.status !== "moderate") lines.push(r.fuelAnalysis.recommendation);
  if (r.errorGuidance) lines.push("", `guidance (${r.errorGuidance.errorType}):`, ...r.errorGuidance.actionableGuidance.map((g) => `- ${g}`));
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join("\n");
}
