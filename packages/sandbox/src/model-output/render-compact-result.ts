import type { CompactResult } from "./compact-result.js";

/**
 * The text a model reads after running code: a status line, the clipped streams,
 * the error and what to try, the workspace changes and notes — compact, and only
 * the sections that have something to say.
 *
 * ```text
 * python · exit 0 · 41 ms
 * stdout:
 * sum: 30
 * files: + result.json
 * ```
 */
export function renderCompactResult(r: CompactResult): string {
  const status = r.success ? `exit ${r.exitCode}` : r.limit ? `stopped: ${r.limit}` : `failed · exit ${r.exitCode}`;
  const lines = [`${r.language} · ${status} · ${r.durationMs} ms`];
  if (r.stdout) lines.push("stdout:", r.stdout.trimEnd());
  if (r.stderr) lines.push("stderr:", r.stderr.trimEnd());
  if (!r.stdout && !r.stderr) lines.push("(no output)");
  if (r.error) {
    const { type, message } = r.error;
    lines.push(`error: ${message === null ? type : message.startsWith(type) ? message : `${type}: ${message}`}`);
    for (const g of r.error.guidance) lines.push(`- ${g}`);
  }
  const f = r.files;
  const changes = [...f.created.map((p) => `+ ${p}`), ...f.modified.map((p) => `~ ${p}`), ...f.deleted.map((p) => `- ${p}`)];
  if (f.unlisted > 0) changes.push(`(${f.unlisted} more)`);
  if (changes.length > 0) lines.push(`files (in /app): ${changes.join(", ")}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join("\n");
}
