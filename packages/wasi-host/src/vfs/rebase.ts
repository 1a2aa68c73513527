/**
 * Warm sessions keep one VirtualFs across executions. After an execution's changes are
 * committed, /app as it stands is exactly what storage holds, so it becomes the baseline
 * of the next execution's journal: every file is marked committed (later comparisons
 * load the stored bytes, never a stale first-loaded copy), and the next program's seed
 * files replace the previous ones. Paths no storage accepts stay out of the baseline, as
 * they stayed out of the commit. When /app did not change since the previous baseline,
 * only the seed files are placed (`placeSeeds`): the walk would find the same baseline.
 */
// The zod-free subpath: this module runs in every worker thread (see core's tsup config).
import { canonicalWorkspacePath } from "@llm-wasm-sandbox/core/workspace-path";
import type { InodeFactory } from "./host-dir.js";
import { FileInode, type DirInode } from "./inode.js";
import { ensureParents, type WorkspaceBaseline } from "./mount-table.js";

/** A rebased /app: the next journal's baseline, and the paths left out of it because no storage accepts them. */
export interface RebasedWorkspace {
  readonly baseline: WorkspaceBaseline;
  /** Sorted, as the journal's comparison reports them. */
  readonly unstorable: readonly string[];
}

/** Places `seedFiles` and returns the baseline of /app as it is now (see module doc). */
export function rebaseWorkspace(workspace: DirInode, previous: WorkspaceBaseline, seedFiles: Readonly<Record<string, Uint8Array>>, factory: InodeFactory): RebasedWorkspace {
  const seeds = placeSeeds(workspace, previous, seedFiles, factory);
  const entries = new Map<string, "file" | "directory">();
  const unstorable: string[] = [];
  // Iterative: guests can nest very deep.
  const pending: Array<[DirInode, string]> = [[workspace, ""]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [dir, prefix] = next;
    for (const [name, inode] of dir.children) {
      if (inode.kind === "symlink") continue;
      const path = prefix === "" ? name : `${prefix}/${name}`;
      if (inode.kind === "directory") pending.push([inode, path]);
      if (!storable(path)) {
        unstorable.push(path);
        continue;
      }
      if (seeds.has(path)) continue;
      if (inode.kind === "file") inode.markCommitted(path);
      entries.set(path, inode.kind === "file" ? "file" : "directory");
    }
  }
  return { baseline: { entries, seeds }, unstorable: unstorable.sort() };
}

/**
 * Places `seedFiles` (replacing the previous execution's) and returns the seed set of the
 * next baseline: the previous one's and these, with the directories made to hold them.
 */
export function placeSeeds(workspace: DirInode, previous: WorkspaceBaseline, seedFiles: Readonly<Record<string, Uint8Array>>, factory: InodeFactory): Set<string> {
  const seeds = new Set(previous.seeds);
  for (const [rawPath, data] of Object.entries(seedFiles)) {
    const path = canonicalWorkspacePath(rawPath);
    const { parent, name } = ensureParents(workspace, path, workspace.mount, factory, (p) => seeds.add(p));
    parent.link(name, new FileInode(factory.nextIno(), workspace.mount, factory.nowNs(), data));
    seeds.add(path);
  }
  return seeds;
}

function storable(path: string): boolean {
  try {
    return canonicalWorkspacePath(path) === path;
  } catch {
    return false;
  }
}
