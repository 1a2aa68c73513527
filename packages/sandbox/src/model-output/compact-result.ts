import { type GuidanceReader, renderGuidance, type SandboxResult, type TrapReason } from "@llm-wasm-sandbox/core";
import { clipHeadTail } from "./clip-head-tail.js";

/** Default characters kept of each of stdout and stderr (head and tail). */
export const DEFAULT_MAX_OUTPUT_CHARS = 20_000;

/** Default number of changed paths listed (created, modified and deleted together). */
export const DEFAULT_MAX_LISTED_FILES = 50;

/** Options of `compactResult`. */
export interface CompactResultOptions {
  /** Characters (UTF-16 code units) kept of each stream, half from the start and half from the end (default 20,000). */
  readonly maxOutputChars?: number;
  /** Paths listed in all (created, then modified, then deleted); the rest are only counted (default 50). */
  readonly maxListedFiles?: number;
  /**
   * Who reads the error guidance (default: a model calling a code-execution tool, which can
   * only run other code: it is not told to raise a policy limit or install a package).
   */
  readonly reader?: GuidanceReader;
}

/** Workspace changes of one run, listed up to a limit. */
export interface CompactFileChanges {
  /** Paths relative to /app. */
  readonly created: readonly string[];
  readonly modified: readonly string[];
  readonly deleted: readonly string[];
  /** Changes left out of the lists above. */
  readonly unlisted: number;
}

/** What went wrong, for the model. */
export interface CompactError {
  /** e.g. "ZeroDivisionError", "OutOfFuel", "Timeout". */
  readonly type: string;
  /** The language's own message, when there was one. */
  readonly message: string | null;
  /** What to try next, worded for the reader (see `CompactResultOptions.reader`). */
  readonly guidance: readonly string[];
}

/**
 * One execution, sized for a model's context: streams clipped head+tail, error
 * guidance on failure, workspace changes listed, nothing a model cannot use
 * (fuel counters, byte sizes). JSON-serializable.
 */
export interface CompactResult {
  readonly language: string;
  readonly success: boolean;
  readonly exitCode: number;
  /** stdout, clipped to `maxOutputChars` (a marker line says how much was cut). */
  readonly stdout: string;
  readonly stderr: string;
  /** Characters of stdout/stderr left out by clipping (0 when nothing was). */
  readonly stdoutOmittedChars: number;
  readonly stderrOmittedChars: number;
  /** The limit that stopped the run, if one did. */
  readonly limit: TrapReason | null;
  /** Present when the run failed. */
  readonly error: CompactError | null;
  readonly files: CompactFileChanges;
  /** Things worth knowing that are not errors (output caps hit, state not saved, …). */
  readonly notes: readonly string[];
  readonly durationMs: number;
}

/** Shapes a `SandboxResult` for a model: see `CompactResult`. */
export function compactResult(result: SandboxResult, options: CompactResultOptions = {}): CompactResult {
  const maxChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  const maxFiles = options.maxListedFiles ?? DEFAULT_MAX_LISTED_FILES;
  const stdout = clipHeadTail(result.stdout, maxChars);
  const stderr = clipHeadTail(result.stderr, maxChars);
  const notes = [...result.notes];
  if (result.stdoutTruncated) notes.push("stdout reached the sandbox's output cap; later output was dropped.");
  if (result.stderrTruncated) notes.push("stderr reached the sandbox's output cap; later output was dropped.");
  const g = result.errorGuidance;
  return {
    language: result.runtime,
    success: result.success,
    exitCode: result.exitCode,
    stdout: stdout.text,
    stderr: stderr.text,
    stdoutOmittedChars: stdout.omittedChars,
    stderrOmittedChars: stderr.omittedChars,
    limit: result.trapReason,
    error: result.success ? null : { type: g?.errorType ?? "Error", message: g?.errorMessage ?? result.trapMessage, guidance: g ? renderGuidance(g.steps, options.reader ?? { channel: "tool" }) : [] },
    files: listChanges(result, maxFiles),
    notes,
    durationMs: Math.round(result.durationMs),
  };
}

function listChanges(result: SandboxResult, max: number): CompactFileChanges {
  let left = max;
  const take = (paths: readonly string[]): string[] => {
    const kept = paths.slice(0, Math.max(0, left));
    left -= kept.length;
    return kept;
  };
  const created = take(result.filesCreated);
  const modified = take(result.filesModified);
  const deleted = take(result.filesDeleted);
  const total = result.filesCreated.length + result.filesModified.length + result.filesDeleted.length;
  return { created, modified, deleted, unlisted: total - created.length - modified.length - deleted.length };
}
