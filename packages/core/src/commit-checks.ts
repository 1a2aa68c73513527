import type { CommitPlan } from "./commit-plan.js";
import { InvalidPathError } from "./errors/invalid-path-error.js";
import { PolicyValidationError } from "./errors/policy-validation-error.js";
import { StorageConflictError } from "./errors/storage-conflict-error.js";
import { StorageQuotaError } from "./errors/storage-quota-error.js";
import type { CommitOptions, SessionQuota } from "./storage.js";
import { canonicalWorkspacePath } from "./workspace-path.js";

/*
 * Checks every adapter runs before writing anything of a commit, so the rules
 * (and the messages) are the same on every backend.
 */

/** @throws StorageConflictError when the session is not at the version the plan was computed against. */
export function checkExpectedVersion(sessionId: string, current: number, options: CommitOptions): void {
  if (current !== options.expectedVersion) {
    throw new StorageConflictError(sessionId, `the run started from version ${options.expectedVersion}, the session is at version ${current}; nothing was written`);
  }
}

/**
 * The tightest of the given quotas, field by field (undefined fields impose nothing).
 * Adapter options and the commit's own quota are combined this way.
 */
export function tightestQuota(...quotas: ReadonlyArray<SessionQuota | undefined>): { maxBytes: number; maxFiles: number } {
  let maxBytes = Number.POSITIVE_INFINITY;
  let maxFiles = Number.POSITIVE_INFINITY;
  for (const q of quotas) {
    if (q?.maxBytes !== undefined) maxBytes = Math.min(maxBytes, q.maxBytes);
    if (q?.maxFiles !== undefined) maxFiles = Math.min(maxFiles, q.maxFiles);
  }
  return { maxBytes, maxFiles };
}

/**
 * Refuses a commit that takes the session past a limit: one that ends over it and
 * grew the session. Shrinking an over-limit session is always allowed, so a
 * session can be brought back under a lowered quota.
 * @throws StorageQuotaError naming the setting to raise.
 */
export function checkSessionQuota(
  sessionId: string,
  before: { readonly sizeBytes: number; readonly fileCount: number },
  plan: Pick<CommitPlan, "sizeBytes" | "fileCount">,
  quota: { readonly maxBytes: number; readonly maxFiles: number },
): void {
  if (plan.sizeBytes > quota.maxBytes && plan.sizeBytes > before.sizeBytes) {
    throw new StorageQuotaError(quota.maxBytes, plan.sizeBytes, { sessionId, unit: "bytes", setting: "the policy's maxSessionBytes (or the adapter's maxSessionBytes)" });
  }
  if (plan.fileCount > quota.maxFiles && plan.fileCount > before.fileCount) {
    throw new StorageQuotaError(quota.maxFiles, plan.fileCount, { sessionId, unit: "files", setting: "the policy's maxSessionFiles (or the adapter's maxSessionFiles)" });
  }
}

/**
 * Re-checks every path of a plan (a plan may come from another thread or
 * process; adapters are a security boundary of their own). Linear in the plan.
 * @throws InvalidPathError for a path that is not canonical, or a write without bytes.
 */
export function checkPlanPaths(plan: CommitPlan): void {
  const check = (path: string): void => {
    if (canonicalWorkspacePath(path) !== path) throw new InvalidPathError(path, "is not canonical (plans carry canonical paths only)");
  };
  for (const w of plan.writes) {
    check(w.path);
    if (!(w.data instanceof Uint8Array)) throw new InvalidPathError(w.path, "planned write has no bytes");
  }
  for (const d of plan.mkdirs) check(d);
  for (const r of plan.removals) check(r.path);
}

/** Longest record (idempotency) key accepted. */
export const MAX_RECORD_KEY_LENGTH = 256;

/**
 * Validates the options of a commit (they come from code, not users, but a wrong
 * version must never be mistaken for a conflict, nor a bad count stored).
 * @throws PolicyValidationError
 */
export function checkCommitOptions(options: CommitOptions): void {
  const issues: Array<{ path: string; message: string }> = [];
  const count = (v: unknown): boolean => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
  if (!count(options?.expectedVersion)) issues.push({ path: "expectedVersion", message: "must be a non-negative integer (the snapshot's metadata.version)" });
  if (options?.executions !== undefined && !count(options.executions)) issues.push({ path: "executions", message: "must be a non-negative integer" });
  for (const field of ["maxBytes", "maxFiles"] as const) {
    const v = options?.quota?.[field];
    if (v !== undefined && !(typeof v === "number" && v >= 0 && !Number.isNaN(v))) issues.push({ path: `quota.${field}`, message: "must be a non-negative number" });
  }
  if (options?.record !== undefined) checkRecordKey(options.record.key, issues);
  if (issues.length > 0) throw new PolicyValidationError(issues, "commit options");
}

/** @throws PolicyValidationError unless `key` is a usable record key (collects into `issues` when given). */
export function checkRecordKey(key: unknown, issues?: Array<{ path: string; message: string }>): void {
  const ok = typeof key === "string" && key.length > 0 && key.length <= MAX_RECORD_KEY_LENGTH;
  if (ok) return;
  const issue = { path: "record.key", message: `must be a string of 1 to ${MAX_RECORD_KEY_LENGTH} characters` };
  if (issues) issues.push(issue);
  else throw new PolicyValidationError([issue], "record key");
}
