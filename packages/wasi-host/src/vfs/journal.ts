/**
 * The journal of /app: computed at the end of a run by comparing the tree with the
 * initial listing, which collapses by construction (a file written twice is one
 * write of its final bytes; created-then-deleted leaves nothing; deleted-then-
 * recreated is a write). Rules:
 * - order: deletes, then mkdirs, then writes, each sorted by path, so parents come
 *   before children and a delete precedes a write at the same path;
 * - a deleted tree is one delete of its top-most deleted path;
 * - a file of the initial listing counts as modified only if it was written in this
 *   run and its bytes differ from the original (only written files are compared);
 * - symlinks exist for the run only and are never journaled; seed files are skipped.
 */
import type { Journal, JournalEntry } from "@llm-wasm-sandbox/core";
// The zod-free subpath: this module runs in every worker thread (see core's tsup config).
import { canonicalWorkspacePath, isInternalPath } from "@llm-wasm-sandbox/core/workspace-path";
import type { DirInode, FileInode } from "./inode.js";
import type { SyncFileLoader, WorkspaceBaseline } from "./mount-table.js";

/** Files the run created, modified and deleted in /app (sorted, internal paths hidden). */
export interface ChangedPaths {
  readonly created: readonly string[];
  readonly modified: readonly string[];
  readonly deleted: readonly string[];
}

/** Both views of the same comparison. */
export interface WorkspaceDiff {
  readonly changed: ChangedPaths;
  readonly entries: readonly JournalEntry[];
  /** Paths no storage adapter would accept (too long), left out of both views. */
  readonly skipped: readonly string[];
}

/** Builds the journal (see module doc). */
export function buildJournal(workspace: DirInode, baseline: WorkspaceBaseline, loadOriginal: SyncFileLoader): Journal {
  return { entries: diffWorkspace(workspace, baseline, loadOriginal).entries };
}

/** Compares /app now with its initial state. */
export function diffWorkspace(workspace: DirInode, baseline: WorkspaceBaseline, loadOriginal: SyncFileLoader): WorkspaceDiff {
  const current = new Map<string, DirInode | FileInode>();
  collect(workspace, "", current);
  const skipped: string[] = [];
  for (const path of current.keys()) {
    if (!storable(path)) {
      current.delete(path);
      skipped.push(path);
    }
  }
  const deletes = new Set<string>();
  const mkdirs: string[] = [];
  const writes: { path: string; inode: FileInode }[] = [];
  const created: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];

  for (const [path, inode] of current) {
    if (baseline.seeds.has(path)) continue;
    const before = baseline.entries.get(path);
    if (inode.kind === "directory") {
      if (before === "directory") continue;
      if (before === "file") {
        deletes.add(path);
        deleted.push(path);
      }
      mkdirs.push(path);
      continue;
    }
    if (before === "file") {
      if (!changedFrom(inode, path, loadOriginal)) continue;
      modified.push(path);
    } else {
      if (before === "directory") deletes.add(path);
      created.push(path);
    }
    writes.push({ path, inode });
  }

  for (const path of [...baseline.entries.keys()].sort()) {
    const now = current.get(path);
    const kind = baseline.entries.get(path);
    if (now !== undefined && now.kind === kind) continue;
    if (now !== undefined) continue; // replaced by the other kind: handled above
    if (kind === "file") deleted.push(path);
    if (!hasAncestorIn(path, deletes)) deletes.add(path);
  }

  const entries: JournalEntry[] = [];
  for (const path of [...deletes].sort()) entries.push({ op: "delete", path });
  for (const path of mkdirs.sort()) entries.push({ op: "mkdir", path });
  writes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { path, inode } of writes) entries.push({ op: "write", path, data: inode.journalBytes() });
  const visible = (paths: string[]): string[] => paths.filter((p) => !isInternalPath(p)).sort();
  return { changed: { created: visible(created), modified: visible(modified), deleted: visible(deleted) }, entries, skipped: skipped.sort() };
}

function storable(path: string): boolean {
  try {
    return canonicalWorkspacePath(path) === path;
  } catch {
    return false;
  }
}

function changedFrom(inode: FileInode, path: string, loadOriginal: SyncFileLoader): boolean {
  if (inode.origin === path && !inode.dirty) return false;
  const original = (inode.origin === path ? inode.initialBytes : null) ?? loadOriginal(path);
  if (original.length !== inode.size) return true;
  const now = inode.bytes();
  // memcmp speed for large files.
  return Buffer.compare(Buffer.from(original.buffer, original.byteOffset, original.length), Buffer.from(now.buffer, now.byteOffset, now.length)) !== 0;
}

/** Lists every file and directory under `root` (iteratively: guests can nest very deep). */
function collect(root: DirInode, rootPrefix: string, out: Map<string, DirInode | FileInode>): void {
  const pending: Array<[DirInode, string]> = [[root, rootPrefix]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [dir, prefix] = next;
    for (const [name, inode] of dir.children) {
      if (inode.kind === "symlink") continue;
      const path = prefix === "" ? name : `${prefix}/${name}`;
      out.set(path, inode);
      if (inode.kind === "directory") pending.push([inode, path]);
    }
  }
}

function hasAncestorIn(path: string, set: ReadonlySet<string>): boolean {
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) if (set.has(path.slice(0, i))) return true;
  return false;
}
