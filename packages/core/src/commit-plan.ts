import { InvalidPathError } from "./errors/invalid-path-error.js";
import type { Journal, WorkspaceEntry } from "./storage.js";
import { canonicalWorkspacePath } from "./workspace-path.js";

/** A node of a planned workspace tree. */
export interface PlannedNode {
  readonly type: "file" | "directory";
  /** Bytes; 0 for directories. */
  readonly size: number;
}

/**
 * What applying a journal to a workspace means, computed without touching
 * storage, so that adapters can validate a whole commit before changing anything
 * and apply it in an order-independent, idempotent way (deletes, then mkdirs,
 * then writes) — which is what makes crash roll-forward possible.
 */
export interface CommitPlan {
  /** The whole tree after the commit: canonical path → node. */
  readonly after: ReadonlyMap<string, PlannedNode>;
  /** Final contents of every file the journal wrote that survives the commit. */
  readonly writes: ReadonlyMap<string, Uint8Array>;
  /**
   * Top-most existing paths that must be removed (with the type they had
   * before, so a replayed removal never deletes what the commit put there).
   */
  readonly removals: ReadonlyArray<{ readonly path: string; readonly type: "file" | "directory" }>;
  /** Directories that must exist afterwards and did not before, parents first. */
  readonly mkdirs: readonly string[];
  /** Files (not directories) created, modified and deleted, each sorted. */
  readonly created: readonly string[];
  readonly modified: readonly string[];
  readonly deleted: readonly string[];
  /** Sum of file sizes and number of files after the commit. */
  readonly sizeBytes: number;
  readonly fileCount: number;
}

/**
 * Simulates `journal` on the tree described by `before` (a full listing, as
 * `StorageAdapter.listFiles` returns) and returns the plan.
 * @throws InvalidPathError for a non-canonicalizable path (`..`, absolute, NUL,
 *   backslash, over-long), a write or mkdir through an existing file, or a file
 *   written over an existing directory. Nothing is changed either way.
 */
export function planCommit(before: readonly WorkspaceEntry[], journal: Journal): CommitPlan {
  const ops = journal.entries.map((e) => ({ ...e, path: canonicalWorkspacePath(e.path) }));
  const old = new Map<string, PlannedNode>(before.map((e) => [e.path, { type: e.type, size: e.type === "file" ? e.size : 0 }]));
  const after = new Map(old);
  const writes = new Map<string, Uint8Array>();
  for (const op of ops) {
    if (op.op === "delete") {
      removeTree(after, op.path);
      for (const p of [...writes.keys()]) if (p === op.path || p.startsWith(`${op.path}/`)) writes.delete(p);
      continue;
    }
    ensureParents(after, op.path);
    const existing = after.get(op.path);
    if (op.op === "mkdir") {
      if (existing?.type === "file") throw new InvalidPathError(op.path, "is a file, cannot make it a directory");
      after.set(op.path, { type: "directory", size: 0 });
    } else {
      if (existing?.type === "directory") throw new InvalidPathError(op.path, "is a directory, cannot write it as a file");
      after.set(op.path, { type: "file", size: op.data.byteLength });
      writes.set(op.path, op.data);
    }
  }
  return summarize(old, after, writes);
}

function summarize(old: Map<string, PlannedNode>, after: Map<string, PlannedNode>, writes: Map<string, Uint8Array>): CommitPlan {
  const created: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  for (const p of writes.keys()) (old.get(p)?.type === "file" ? modified : created).push(p);
  const gone = new Set<string>();
  for (const [p, node] of old) {
    if (after.get(p)?.type === node.type) continue;
    gone.add(p);
    if (node.type === "file") deleted.push(p);
  }
  const removals = [...gone]
    .filter((p) => !hasAncestorIn(p, gone))
    .sort()
    .map((path) => ({ path, type: (old.get(path) as PlannedNode).type }));
  const mkdirs = [...after].filter(([p, n]) => n.type === "directory" && old.get(p)?.type !== "directory").map(([p]) => p).sort();
  let sizeBytes = 0;
  let fileCount = 0;
  for (const n of after.values()) {
    if (n.type !== "file") continue;
    sizeBytes += n.size;
    fileCount += 1;
  }
  return { after, writes, removals, mkdirs, created: created.sort(), modified: modified.sort(), deleted: deleted.sort(), sizeBytes, fileCount };
}

function ensureParents(tree: Map<string, PlannedNode>, path: string): void {
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join("/");
    const node = tree.get(dir);
    if (node?.type === "file") throw new InvalidPathError(path, `"${dir}" is a file, not a directory`);
    if (!node) tree.set(dir, { type: "directory", size: 0 });
  }
}

function removeTree(tree: Map<string, PlannedNode>, path: string): void {
  tree.delete(path);
  const prefix = `${path}/`;
  for (const p of [...tree.keys()]) if (p.startsWith(prefix)) tree.delete(p);
}

function hasAncestorIn(path: string, set: ReadonlySet<string>): boolean {
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) if (set.has(path.slice(0, i))) return true;
  return false;
}
