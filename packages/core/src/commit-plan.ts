import { InvalidPathError } from "./errors/invalid-path-error.js";
import type { Journal, WorkspaceEntry } from "./storage.js";
import { canonicalWorkspacePath } from "./workspace-path.js";

/** Re-exported for the `@llm-wasm-sandbox/core/commit-plan` subpath (zod-free; used by worker threads). */
export { InvalidPathError };

/** A file the commit writes, with its final contents. */
export interface PlannedWrite {
  readonly path: string;
  readonly data: Uint8Array;
}

/** A top-most path the commit removes, with the type it had before. */
export interface PlannedRemoval {
  readonly path: string;
  readonly type: "file" | "directory";
}

/**
 * What applying a journal to a workspace changes, computed without touching
 * storage: a compact description of the changes plus the totals after them, so
 * it is cheap to ship from a worker thread. Adapters apply it in an
 * order-independent, idempotent way (removals, then mkdirs, then writes) — which
 * is what makes crash roll-forward possible — and only to the session version it
 * was planned against (`CommitOptions.expectedVersion`).
 *
 * The tree after the commit is: the tree before, minus every removed path and
 * everything under it, plus `mkdirs`, plus `writes`.
 */
export interface CommitPlan {
  /** Every file the commit writes, sorted by path; each survives the commit. */
  readonly writes: readonly PlannedWrite[];
  /**
   * Top-most existing paths to remove, sorted, with the type they had before, so
   * a replayed removal never deletes what the commit put there.
   */
  readonly removals: readonly PlannedRemoval[];
  /** Directories that must exist afterwards and did not before, sorted (parents first). */
  readonly mkdirs: readonly string[];
  /** Files (not directories) created, modified and deleted, each sorted. */
  readonly created: readonly string[];
  readonly modified: readonly string[];
  readonly deleted: readonly string[];
  /** Sum of file sizes and number of files after the commit. */
  readonly sizeBytes: number;
  readonly fileCount: number;
}

/** True when applying `plan` would change nothing (so a commit may be skipped). */
export function isEmptyPlan(plan: CommitPlan): boolean {
  return plan.writes.length === 0 && plan.removals.length === 0 && plan.mkdirs.length === 0;
}

/** The plan that changes nothing in a workspace holding `sizeBytes` in `fileCount` files. */
export function emptyPlan(totals: { readonly sizeBytes: number; readonly fileCount: number }): CommitPlan {
  return { writes: [], removals: [], mkdirs: [], created: [], modified: [], deleted: [], sizeBytes: totals.sizeBytes, fileCount: totals.fileCount };
}

type NodeType = "file" | "directory";

/** The latest node this journal put at a path: its type, the op that made it, and the bytes of a write. */
interface Made {
  readonly type: NodeType;
  readonly seq: number;
  readonly data?: Uint8Array;
}

/**
 * Simulates `journal` on the tree described by `before` (a full listing, as
 * `StorageAdapter.snapshot` returns) and returns the plan.
 *
 * Linear in the listing plus the journal (times path depth at worst; sorting the
 * outputs adds n log n): a path exists after op `t` when the op that last made it
 * (or the listing, for an untouched path) comes after every delete of it or of an
 * ancestor. Deletes are recorded, never applied to the listing one by one.
 * @throws InvalidPathError for a non-canonicalizable path (`..`, absolute, NUL,
 *   backslash, over-long), a write or mkdir through an existing file, or a file
 *   written over an existing directory. Nothing is changed either way.
 */
export function planCommit(before: readonly WorkspaceEntry[], journal: Journal): CommitPlan {
  const old = new Map<string, { readonly type: NodeType; readonly size: number }>();
  for (const e of before) old.set(e.path, { type: e.type, size: e.type === "file" ? e.size : 0 });
  const made = new Map<string, Made>();
  /** path → seq of the last delete of exactly that path. */
  const killed = new Map<string, number>();
  /** Directories known to exist now, with the latest delete seq on their chain; valid until the next delete. */
  let verified = new Map<string, number>();

  const nodeAt = (path: string): { type: NodeType; seq: number } | undefined => made.get(path) ?? (old.has(path) ? { type: (old.get(path) as { type: NodeType }).type, seq: 0 } : undefined);
  /** Type of `path` now, given the latest delete seq on its chain; undefined when absent. */
  const typeAt = (path: string, chainDelete: number): NodeType | undefined => {
    const node = nodeAt(path);
    return node && node.seq > chainDelete ? node.type : undefined;
  };

  /** Makes every parent of `path` a directory (implicitly, as op `seq`); returns the delete seq on the parent chain. */
  const ensureParents = (path: string, seq: number): number => {
    let start = path.lastIndexOf("/");
    if (start === -1) return -1;
    // Walk up to the deepest parent already verified since the last delete.
    let chain = -1;
    while (start !== -1) {
      const known = verified.get(path.slice(0, start));
      if (known !== undefined) {
        chain = known;
        break;
      }
      start = path.lastIndexOf("/", start - 1);
    }
    for (let i = start === -1 ? path.indexOf("/") : path.indexOf("/", start + 1); i !== -1; i = path.indexOf("/", i + 1)) {
      const dir = path.slice(0, i);
      chain = Math.max(chain, killed.get(dir) ?? -1);
      const type = typeAt(dir, chain);
      if (type === "file") throw new InvalidPathError(path, `"${dir}" is a file, not a directory`);
      if (type === undefined) made.set(dir, { type: "directory", seq });
      verified.set(dir, chain);
    }
    return chain;
  };

  let seq = 0;
  for (const entry of journal.entries) {
    const path = canonicalWorkspacePath(entry.path);
    seq++;
    if (entry.op === "delete") {
      killed.set(path, seq);
      verified = new Map();
      continue;
    }
    const chain = Math.max(ensureParents(path, seq), killed.get(path) ?? -1);
    const existing = typeAt(path, chain);
    if (entry.op === "mkdir") {
      if (existing === "file") throw new InvalidPathError(path, "is a file, cannot make it a directory");
      if (existing === undefined) made.set(path, { type: "directory", seq });
    } else {
      if (existing === "directory") throw new InvalidPathError(path, "is a directory, cannot write it as a file");
      made.set(path, { type: "file", seq, data: entry.data });
    }
  }
  return summarize(old, made, chainDeletes(killed));
}

function summarize(
  old: ReadonlyMap<string, { readonly type: NodeType; readonly size: number }>,
  made: ReadonlyMap<string, Made>,
  chainDelete: (path: string) => number,
): CommitPlan {
  const afterType = (path: string): NodeType | undefined => {
    const node = made.get(path) ?? (old.has(path) ? { type: (old.get(path) as { type: NodeType }).type, seq: 0 } : undefined);
    return node && node.seq > chainDelete(path) ? node.type : undefined;
  };
  const writes: PlannedWrite[] = [];
  const created: string[] = [];
  const modified: string[] = [];
  const mkdirs: string[] = [];
  let sizeBytes = 0;
  let fileCount = 0;
  for (const [path, node] of made) {
    if (afterType(path) !== node.type) continue;
    if (node.type === "file") {
      const data = node.data as Uint8Array;
      writes.push({ path, data });
      (old.get(path)?.type === "file" ? modified : created).push(path);
      sizeBytes += data.byteLength;
      fileCount += 1;
    } else if (old.get(path)?.type !== "directory") {
      mkdirs.push(path);
    }
  }
  const gone = new Set<string>();
  const deleted: string[] = [];
  for (const [path, node] of old) {
    const now = afterType(path);
    if (now !== node.type) {
      gone.add(path);
      if (node.type === "file") deleted.push(path);
    } else if (node.type === "file" && made.get(path)?.type !== "file") {
      sizeBytes += node.size;
      fileCount += 1;
    }
  }
  const removals: PlannedRemoval[] = [];
  const underGone = ancestorIn(gone);
  for (const path of gone) if (!underGone(path)) removals.push({ path, type: (old.get(path) as { type: NodeType }).type });
  writes.sort((a, b) => compare(a.path, b.path));
  removals.sort((a, b) => compare(a.path, b.path));
  return { writes, removals, mkdirs: mkdirs.sort(compare), created: created.sort(compare), modified: modified.sort(compare), deleted: deleted.sort(compare), sizeBytes, fileCount };
}

/** The latest delete seq on a path's chain (itself and its ancestors), memoized per directory. */
function chainDeletes(killed: ReadonlyMap<string, number>): (path: string) => number {
  if (killed.size === 0) return () => -1;
  const memo = new Map<string, number>();
  const of = (path: string): number => {
    const cached = memo.get(path);
    if (cached !== undefined) return cached;
    const slash = path.lastIndexOf("/");
    const value = Math.max(killed.get(path) ?? -1, slash === -1 ? -1 : of(path.slice(0, slash)));
    memo.set(path, value);
    return value;
  };
  return of;
}

/** Whether a proper ancestor of a path is in `set`, memoized per directory (linear over many paths). */
export function ancestorIn(set: ReadonlySet<string>): (path: string) => boolean {
  const memo = new Map<string, boolean>();
  const of = (path: string): boolean => {
    const slash = path.lastIndexOf("/");
    if (slash === -1) return false;
    const parent = path.slice(0, slash);
    let value = memo.get(parent);
    if (value === undefined) {
      value = set.has(parent) || of(parent);
      memo.set(parent, value);
    }
    return value;
  };
  return of;
}

/** Code-unit order, as every listing is sorted. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A predicate telling whether a path of the tree before `plan` is removed by it
 * (it or an ancestor is one of `plan.removals`); linear over a whole listing.
 */
export function removedBy(plan: CommitPlan): (path: string) => boolean {
  if (plan.removals.length === 0) return () => false;
  const removed = new Set(plan.removals.map((r) => r.path));
  const under = ancestorIn(removed);
  return (path) => removed.has(path) || under(path);
}
