/**
 * Path resolution inside the virtual tree. The walk is component-wise over in-memory
 * maps, so no guest string ever becomes a host path. Rules (documented in the README):
 * absolute paths start at the virtual root; `..` at the root stays at the root
 * (POSIX clamp), so `/app/../../etc` is just `/etc`, which does not exist; symlink
 * targets are re-walked inside the tree (absolute ones from the virtual root) with at
 * most MAX_SYMLINK_HOPS expansions per lookup.
 */
import { fail } from "./errors.js";
import type { DirInode, Inode } from "./inode.js";

/** Symlink expansions allowed in one lookup before ELOOP (Linux's limit). */
export const MAX_SYMLINK_HOPS = 40;
/** Longest path accepted, in UTF-8 bytes (Linux PATH_MAX). */
export const MAX_PATH_BYTES = 4096;
/** Longest single name accepted, in UTF-8 bytes (Linux NAME_MAX). */
export const MAX_NAME_BYTES = 255;

/** Outcome of a lookup: the inode found (null when only the parent exists). */
export interface Resolved {
  /** The inode the path names, or null when the final name does not exist. */
  readonly inode: Inode | null;
  /**
   * The directory holding the final name; null when the path ends in `.`/`..` or
   * names the root (such paths cannot be created, removed or renamed).
   */
  readonly parent: DirInode | null;
  /** The final name (after symlink expansion); "" when `parent` is null. */
  readonly name: string;
  /** The path ended with `/`: the result must be a directory. */
  readonly trailingSlash: boolean;
}

/** Options of `resolvePath`. */
export interface ResolveOptions {
  /** Follow a symlink in the final position (false for lstat, unlink, O_NOFOLLOW). */
  readonly followFinal: boolean;
}

const encoder = new TextEncoder();

/** Checks a guest path string: NUL → EINVAL, too long → ENAMETOOLONG, empty → ENOENT. */
export function validatePath(path: string): void {
  if (path.length === 0) fail("noent", "empty path");
  if (path.includes("\0")) fail("inval", "NUL byte in path");
  if (longerThanUtf8(path, MAX_PATH_BYTES)) fail("nametoolong");
}

/**
 * Resolves `path` starting at `start` (or at `root` when it is absolute).
 * @throws VfsError noent, notdir, loop, nametoolong, inval
 */
export function resolvePath(root: DirInode, start: DirInode, path: string, options: ResolveOptions): Resolved {
  validatePath(path);
  const trailingSlash = path.endsWith("/") && path.replace(/\/+$/, "") !== "";
  const stack = splitReversed(path);
  let cur: DirInode = path.startsWith("/") ? root : start;
  let hops = 0;
  while (stack.length > 0) {
    const comp = stack.pop() as string;
    const isLast = stack.length === 0;
    if (comp === "..") cur = cur.parent ?? root;
    if (comp === "." || comp === "..") {
      if (isLast) return { inode: cur, parent: null, name: "", trailingSlash };
      continue;
    }
    if (longerThanUtf8(comp, MAX_NAME_BYTES)) fail("nametoolong");
    const child = cur.children.get(comp);
    if (child === undefined) {
      if (isLast) return { inode: null, parent: cur, name: comp, trailingSlash };
      fail("noent");
    }
    if (child.kind === "symlink" && (!isLast || options.followFinal || trailingSlash)) {
      if (++hops > MAX_SYMLINK_HOPS) fail("loop");
      const target = child.target;
      if (target.length === 0) fail("noent");
      for (const c of splitReversed(target)) stack.push(c);
      if (target.startsWith("/")) cur = root;
      // A target such as "/" or "." leaves nothing to walk: the link names `cur` itself.
      if (stack.length === 0) return { inode: cur, parent: null, name: "", trailingSlash };
      continue;
    }
    if (isLast) {
      if (trailingSlash && child.kind !== "directory") fail("notdir");
      return { inode: child, parent: cur, name: comp, trailingSlash };
    }
    if (child.kind !== "directory") fail("notdir");
    cur = child;
  }
  return { inode: cur, parent: null, name: "", trailingSlash };
}

/**
 * Whether `s` takes more than `limit` bytes in UTF-8. One UTF-16 unit is 1–3 UTF-8
 * bytes, so the UTF-16 length nearly always decides it without encoding (a hot path).
 */
function longerThanUtf8(s: string, limit: number): boolean {
  if (s.length > limit) return true;
  if (s.length * 3 <= limit) return false;
  return encoder.encode(s).length > limit;
}

/** Splits into non-empty components, reversed so that `pop()` yields them in order. */
function splitReversed(path: string): string[] {
  return path
    .split("/")
    .filter((c) => c !== "")
    .reverse();
}
