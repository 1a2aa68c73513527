/**
 * Where read-only mounts may go in the guest's tree. The host itself owns `/app` (the
 * session workspace) and `/tmp` (the run's scratch directory); `/` holds only mount
 * points. A mount at `/`, at or below `/app` or `/tmp`, at the same path as another
 * mount, or above or below another mount cannot be built, and used to be found out
 * only inside the worker, failing every run with a bare "host error". These checks run
 * where the mounts are chosen (policy validation, `createSandbox`, and before a run is
 * dispatched) so the caller gets a typed error naming the path instead.
 */
import { PolicyValidationError, type ValidationIssue } from "./errors/policy-validation-error.js";

/** Guest directories the host mounts in every run; no other mount may be at, above or below them. */
export const HOST_GUEST_PATHS = ["/app", "/tmp"] as const;

/** A mount's guest path and where it came from (e.g. `policy.guestDataPath`), for messages. */
export interface NamedGuestPath {
  readonly guestPath: string;
  readonly source: string;
}

/**
 * Why one guest path cannot hold a mount, or null when it can (on its own; see
 * `mountLayoutIssues` for clashes between mounts).
 */
export function mountPathProblem(guestPath: string): string | null {
  if (!guestPath.startsWith("/")) return "a mount's guest path must be absolute, e.g. /data/input";
  if (guestPath === "/") return "/ is the guest's root and holds only mount points; mount at a path below it, e.g. /data/input";
  const parts = guestPath.slice(1).split("/");
  if (parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\0"))) {
    return "a mount's guest path must be canonical: no empty, '.' or '..' segments and no trailing '/'";
  }
  for (const own of HOST_GUEST_PATHS) {
    if (guestPath === own || guestPath.startsWith(`${own}/`)) {
      return own === "/app"
        ? "/app is the session workspace and cannot hold a mount; pick another path, e.g. /data/input"
        : "/tmp is the run's scratch directory and cannot hold a mount; pick another path, e.g. /data/input";
    }
  }
  return null;
}

/**
 * Every problem of a set of mounts: each path on its own, then two mounts at the same
 * path, or one inside another. Linear in the number of mounts times their depth.
 */
export function mountLayoutIssues(mounts: readonly NamedGuestPath[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, string>();
  for (const m of mounts) {
    const problem = mountPathProblem(m.guestPath);
    if (problem !== null) issues.push({ path: m.source, message: `${JSON.stringify(m.guestPath)}: ${problem}` });
    else if (seen.has(m.guestPath)) issues.push({ path: m.source, message: `${JSON.stringify(m.guestPath)} is also the guest path of ${seen.get(m.guestPath)}; each mount needs its own path` });
    else seen.set(m.guestPath, m.source);
  }
  for (const [path, source] of seen) {
    for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) {
      const ancestor = seen.get(path.slice(0, i));
      if (ancestor !== undefined) {
        issues.push({ path: source, message: `${JSON.stringify(path)} is inside the mount at ${JSON.stringify(path.slice(0, i))} (${ancestor}); mounts cannot be nested` });
        break;
      }
    }
  }
  return issues;
}

/**
 * Throws when the mounts cannot all be built (see `mountLayoutIssues`).
 * @throws PolicyValidationError naming each offending path and where it came from.
 */
export function assertMountLayout(mounts: readonly NamedGuestPath[], source = "mounts"): void {
  const issues = mountLayoutIssues(mounts);
  if (issues.length > 0) throw new PolicyValidationError(issues, source);
}
