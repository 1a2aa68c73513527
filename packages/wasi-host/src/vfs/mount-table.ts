/**
 * Builds the initial tree: the synthetic root, `/app` from the session listing (lazy
 * bytes) plus seed files, and the read-only mounts (in-memory files or a host dir).
 */
import type { ReadonlyMount, WorkspaceEntry } from "@llm-wasm-sandbox/core";
// The zod-free subpath: this module runs in every worker thread (see core's tsup config).
import { canonicalWorkspacePath, InvalidPathError } from "@llm-wasm-sandbox/core/workspace-path";
import { hostDirMount, type HostFs, type HostReadBudget, type InodeFactory } from "./host-dir.js";
import { DirInode, FileInode, type MountInfo } from "./inode.js";

/** Reads one workspace file synchronously (canonical relative path). */
export type SyncFileLoader = (path: string) => Uint8Array;

/** A mount point as listed for preopens. */
export interface MountPoint {
  readonly guestPath: string;
  readonly dir: DirInode;
  readonly readonly: boolean;
}

/** The guest path of the session workspace. */
export const WORKSPACE_PATH = "/app";
/** The guest path of the run's scratch directory. */
export const SCRATCH_PATH = "/tmp";

const ROOT_MOUNT: MountInfo = { kind: "root", guestPath: "/" };

/** The initial state of /app the journal compares against. */
export interface WorkspaceBaseline {
  /** Path → kind for every entry of the initial listing (seeds excluded). */
  readonly entries: ReadonlyMap<string, "file" | "directory">;
  /** Seed files and the directories created only to hold them: never journaled. */
  readonly seeds: ReadonlySet<string>;
}

/** Creates the virtual root (read-only, holds only mount points). */
export function createRoot(factory: InodeFactory): DirInode {
  return new DirInode(factory.nextIno(), ROOT_MOUNT, factory.nowNs(), null);
}

/** Mounts `/app` and fills it from the listing and the seeds. */
export function mountWorkspace(
  root: DirInode,
  factory: InodeFactory,
  entries: readonly WorkspaceEntry[],
  load: SyncFileLoader,
  seedFiles: Readonly<Record<string, Uint8Array>>,
  frozenTimes: boolean,
): { dir: DirInode; baseline: WorkspaceBaseline } {
  const mount: MountInfo = { kind: "workspace", guestPath: WORKSPACE_PATH };
  const dir = new DirInode(factory.nextIno(), mount, factory.nowNs(), root);
  root.link("app", dir);
  const baseline = new Map<string, "file" | "directory">();
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const entry of sorted) {
    const path = canonicalWorkspacePath(entry.path);
    const { parent, name } = ensureParents(dir, path, mount, factory, (p) => baseline.set(p, "directory"));
    const existing = parent.children.get(name);
    if (entry.type === "directory") {
      if (existing === undefined) parent.link(name, new DirInode(factory.nextIno(), mount, factory.nowNs(), parent));
      baseline.set(path, "directory");
      continue;
    }
    const file = new FileInode(factory.nextIno(), mount, factory.nowNs(), { size: entry.size, load: () => load(path) });
    file.origin = path;
    if (!frozenTimes) {
      const mtimeNs = BigInt(Math.trunc(entry.mtimeMs)) * 1_000_000n;
      file.times.mtimeNs = mtimeNs;
      file.times.ctimeNs = mtimeNs;
    }
    parent.link(name, file);
    baseline.set(path, "file");
  }
  const seeds = new Set<string>();
  for (const [rawPath, data] of Object.entries(seedFiles)) {
    const path = canonicalWorkspacePath(rawPath);
    const { parent, name } = ensureParents(dir, path, mount, factory, (p) => {
      if (!baseline.has(p)) seeds.add(p);
    });
    parent.link(name, new FileInode(factory.nextIno(), mount, factory.nowNs(), data));
    seeds.add(path);
    baseline.delete(path);
  }
  return { dir, baseline: { entries: baseline, seeds } };
}

/**
 * Mounts the scratch directory `/tmp`: writable, empty at start, gone after the run
 * (never journaled), so `tempfile` works without littering the session.
 */
export function mountScratch(root: DirInode, factory: InodeFactory): MountPoint {
  const dir = new DirInode(factory.nextIno(), { kind: "scratch", guestPath: SCRATCH_PATH }, factory.nowNs(), root);
  root.link(SCRATCH_PATH.slice(1), dir);
  return { guestPath: SCRATCH_PATH, dir, readonly: false };
}

/**
 * Mounts a read-only tree at its guest path, creating synthetic read-only directories
 * on the way (`/data` for `/data/site-packages`).
 * @throws InvalidPathError for `/`, `/app`, relative, non-canonical or nested mount paths.
 */
export function mountReadonly(root: DirInode, factory: InodeFactory, spec: ReadonlyMount, hostFs: HostFs, budget: HostReadBudget): MountPoint {
  const guestPath = spec.guestPath;
  const parts = guestPath.split("/").slice(1);
  if (!guestPath.startsWith("/") || parts.length === 0 || parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\0"))) {
    throw new InvalidPathError(guestPath, "a mount's guestPath must be absolute and canonical, e.g. /data/site-packages");
  }
  if (parts[0] === "app") throw new InvalidPathError(guestPath, "/app is the session workspace and cannot hold another mount");
  if (parts[0] === "tmp") throw new InvalidPathError(guestPath, "/tmp is the run's scratch directory and cannot hold another mount");
  let parent = root;
  for (const name of parts.slice(0, -1)) {
    const next = parent.children.get(name);
    if (next === undefined) {
      const dir = new DirInode(factory.nextIno(), ROOT_MOUNT, factory.nowNs(), parent);
      parent.link(name, dir);
      parent = dir;
    } else if (next.kind === "directory" && next.mount.kind === "root") parent = next;
    else throw new InvalidPathError(guestPath, "mounts cannot be nested inside other mounts");
  }
  const name = parts[parts.length - 1] as string;
  if (parent.children.has(name)) throw new InvalidPathError(guestPath, "two mounts share this guest path");
  const mount: MountInfo = { kind: "readonly", guestPath };
  let dir: DirInode;
  if (spec.hostPath !== undefined) {
    dir = hostDirMount(spec.hostPath, mount, parent, hostFs, factory, budget);
  } else {
    dir = new DirInode(factory.nextIno(), mount, factory.nowNs(), parent);
    for (const [rawPath, data] of Object.entries(spec.files ?? {})) {
      const path = canonicalWorkspacePath(rawPath);
      const at = ensureParents(dir, path, mount, factory, () => undefined);
      at.parent.link(at.name, new FileInode(factory.nextIno(), mount, factory.nowNs(), data));
    }
  }
  parent.link(name, dir);
  return { guestPath, dir, readonly: true };
}

/** Walks to the parent directory of `path` under `base`, creating missing directories (reported to `onCreate`). */
export function ensureParents(
  base: DirInode,
  path: string,
  mount: MountInfo,
  factory: InodeFactory,
  onCreate: (path: string) => void,
): { parent: DirInode; name: string } {
  const parts = path.split("/");
  let dir = base;
  for (let i = 0; i < parts.length - 1; i++) {
    const name = parts[i] as string;
    const next = dir.children.get(name);
    if (next !== undefined && next.kind === "directory") {
      dir = next;
      continue;
    }
    const created = new DirInode(factory.nextIno(), mount, factory.nowNs(), dir);
    dir.link(name, created);
    onCreate(parts.slice(0, i + 1).join("/"));
    dir = created;
  }
  return { parent: dir, name: parts[parts.length - 1] as string };
}
