import { formatCount, type SandboxResult } from "@llm-wasm-sandbox/core";

/** One-line human summary of a run, for stderr. */
export function summaryLine(result: SandboxResult): string {
  const parts = [
    result.runtime,
    `exit ${result.exitCode}`,
    // A run the wall clock or the caller stopped reports a lower bound (see fuelConsumed).
    `fuel ${result.trapReason === "timeout" || result.trapReason === "cancelled" ? "≥ " : ""}${formatCount(result.fuelConsumed)}`,
    `memory ${mib(result.memoryUsedBytes)}`,
    `${Math.round(result.durationMs)} ms`,
  ];
  if (result.trapReason) parts.push(`stopped: ${result.trapReason}`);
  if (result.stdoutTruncated || result.stderrTruncated) parts.push("output truncated");
  const files = result.filesCreated.length + result.filesModified.length + result.filesDeleted.length;
  if (files > 0) parts.push(`${files} file change${files === 1 ? "" : "s"}`);
  return `── ${parts.join(" · ")}`;
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** Bytes for people: "512 B", "3.4 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KiB`;
  return mib(bytes);
}

/** Exit code for the CLI: the guest's, or 1 when it failed without one. */
export function processExitCode(result: SandboxResult): number {
  if (result.exitCode !== 0) return Math.min(255, Math.max(1, result.exitCode & 0xff || 1));
  return result.success ? 0 : 1;
}
