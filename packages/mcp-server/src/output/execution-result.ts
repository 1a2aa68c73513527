import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { formatCount } from "@llm-wasm-sandbox/core";
import { clipHeadTail, type GuidanceReader, renderGuidance, type SandboxResult, type StorageAdapter } from "llm-wasm-sandbox";
import { outputRunId, saveFullOutput } from "./full-output.js";

/** `_meta` key naming the stream a content block carries ("stdout" or "stderr"). */
export const STREAM_META_KEY = "llm-wasm-sandbox/stream";

/** What the model is told about one output stream (the text itself travels once, in `content`). */
export interface StreamReport {
  /** Characters (UTF-16 code units) of the stream the run kept; the run's output cap is in bytes. */
  readonly chars: number;
  /** Characters left out of the text returned to the model (0 when it is all there). */
  readonly omitted_chars: number;
  /** True when the program wrote more than the run's output cap and the rest was dropped. */
  readonly cut_at_output_cap: boolean;
  /** Guest path of the whole kept stream when part of it was left out, else null. */
  readonly full_output_path: string | null;
}

/** How execute_code results are sized for a model. */
export interface OutputSizing {
  /** Largest part of each stream returned as text, characters (head and tail). */
  readonly maxOutputChars: number;
  readonly storage: StorageAdapter;
}

/**
 * Turns a result into what execute_code returns: the text a model reads (status, each
 * stream clipped to head + tail, files, guidance) and structuredContent with everything
 * else. The output bytes appear once, in the text; when a stream is clipped its whole
 * kept text is saved in the session and its path given in both.
 */
export async function executionToolResult(r: SandboxResult, reader: GuidanceReader, sizing: OutputSizing): Promise<CallToolResult> {
  let runId: string | null = null;
  const stream = async (name: "stdout" | "stderr", text: string, cutAtCap: boolean) => {
    let path: string | null = null;
    if (text.length > sizing.maxOutputChars) {
      runId ??= await outputRunId(sizing.storage, r.sessionId);
      path = await saveFullOutput(sizing.storage, r.sessionId, name, text, runId);
    }
    const clipped = clipHeadTail(text, sizing.maxOutputChars);
    const report: StreamReport = { chars: text.length, omitted_chars: clipped.omittedChars, cut_at_output_cap: cutAtCap, full_output_path: path };
    return { report, shown: clipped.text };
  };
  const out = await stream("stdout", r.stdout, r.stdoutTruncated);
  const err = await stream("stderr", r.stderr, r.stderrTruncated);

  const content: CallToolResult["content"] = [{ type: "text", text: statusLine(r) }];
  for (const [name, s] of [["stdout", out], ["stderr", err]] as const) {
    if (!s.shown) continue;
    const where = s.report.full_output_path ? ` (${formatCount(s.report.omitted_chars)} of ${formatCount(s.report.chars)} characters left out below; the whole ${name} is in ${s.report.full_output_path})` : "";
    const capNote = s.report.cut_at_output_cap ? `\n[${name} reached the run's output cap; what the program wrote after that was dropped]` : "";
    content.push({ type: "text", text: `${name}${where}:\n${s.shown.replace(/\n$/, "")}${capNote}`, _meta: { [STREAM_META_KEY]: name } });
  }
  const details = detailLines(r, reader);
  if (details.length) content.push({ type: "text", text: details.join("\n") });
  return { content, structuredContent: structured(r, out.report, err.report) };
}

function statusLine(r: SandboxResult): string {
  const head = r.success ? "✓ succeeded" : r.trapped ? `✗ stopped: ${r.trapReason}` : "✗ failed";
  const fuel = `fuel ${formatCount(r.fuelConsumed)} (${r.fuelAnalysis.utilizationPercent}% of budget)`;
  return `${head} · exit code ${r.exitCode} · session_id ${r.sessionId}${r.warm ? " (warm)" : ""} · ${Math.round(r.durationMs)} ms · ${fuel} · memory ${(r.memoryUsedBytes / 1048576).toFixed(1)} MiB`;
}

function detailLines(r: SandboxResult, reader: GuidanceReader): string[] {
  const lines: string[] = [];
  const files = [...r.filesCreated.map((f) => `+ /app/${f}`), ...r.filesModified.map((f) => `~ /app/${f}`), ...r.filesDeleted.map((f) => `- /app/${f}`)];
  if (files.length) lines.push("files:", ...files);
  if (r.success && (r.fuelAnalysis.status === "warning" || r.fuelAnalysis.status === "critical")) {
    lines.push(`Fuel use is close to the budget (${r.fuelAnalysis.utilizationPercent}%): larger inputs may run out.`, ...renderGuidance([{ remedy: "raise-fuel", suggested: r.fuelAnalysis.suggestedBudget }], reader));
  }
  if (!r.success) {
    const guidance = renderGuidance(r.errorGuidance.steps, reader);
    lines.push(`error: ${r.errorGuidance.errorType}${r.errorGuidance.errorMessage ? ` — ${r.errorGuidance.errorMessage}` : ""}`, ...guidance.map((g) => `- ${g}`));
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines;
}

function structured(r: SandboxResult, stdout: StreamReport, stderr: StreamReport): Record<string, unknown> {
  return {
    success: r.success,
    exit_code: r.exitCode,
    trapped: r.trapped,
    trap_reason: r.trapReason,
    session_id: r.sessionId,
    language: r.runtime,
    duration_ms: Math.round(r.durationMs),
    fuel_consumed: r.fuelConsumed,
    memory_used_bytes: r.memoryUsedBytes,
    stdout,
    stderr,
    files_created: r.filesCreated,
    files_modified: r.filesModified,
    files_deleted: r.filesDeleted,
    fuel_analysis: {
      status: r.fuelAnalysis.status,
      utilization_percent: r.fuelAnalysis.utilizationPercent,
      budget: r.fuelAnalysis.budget,
      suggested_budget: r.fuelAnalysis.suggestedBudget,
    },
    error: r.success ? null : { type: r.errorGuidance.errorType, message: r.errorGuidance.errorMessage },
    notes: r.notes,
    warm: r.warm,
  };
}
