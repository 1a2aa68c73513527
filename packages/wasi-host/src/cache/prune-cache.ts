/**
 * Pruning the on-disk cache: entries nobody used for `maxAgeMs` are deleted. Everything
 * in the cache directory is rebuildable (instrumented modules, snapshots, unpacked
 * standard libraries, source stamps), and each entry's content hash is in its name, so a
 * runtime upgrade leaves the old entries behind forever unless something removes them:
 * ~300 MB after a few upgrades.
 *
 * An entry's age is the later of its access and modification times; readers mark what
 * they use (`markCacheEntryUsed`), so an entry a process still reads is never old. A
 * module file that a fresh source stamp points at is kept too (stamps are bound to that
 * file's stat, so it cannot be marked). Directories are renamed away before they are
 * removed, so a reader sees the whole entry or none of it. Temporary files of writes in
 * progress are left alone until they are a day old. Errors on one entry do not stop the
 * others; an entry that cannot be removed is reported, not thrown.
 */
import { randomUUID } from "node:crypto";
import { lstat, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

/** Default age after which an unused entry is deleted: 30 days. */
export const DEFAULT_CACHE_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/** Sub-directories whose files are entries of their own. */
const ENTRY_DIRS = ["snapshots", "source-stamps"];
/** Marker whose mtime records the last automatic prune. */
const MARKER = ".last-prune";
const DAY_MS = 24 * 60 * 60 * 1000;

/** Options of `pruneCache`. */
export interface PruneCacheOptions {
  readonly cacheDir: string;
  /** Entries unused for longer than this are deleted. Default 30 days. */
  readonly maxAgeMs?: number;
  /** Only report what would be deleted. */
  readonly dryRun?: boolean;
  /** The current time (tests). */
  readonly now?: number;
}

/** One entry `pruneCache` deleted (or would delete). */
export interface PrunedEntry {
  /** Path relative to the cache directory. */
  readonly name: string;
  readonly bytes: number;
  /** Days since the entry was last used. */
  readonly ageDays: number;
}

/** What `pruneCache` did. */
export interface PruneCacheResult {
  readonly dryRun: boolean;
  readonly removed: readonly PrunedEntry[];
  readonly freedBytes: number;
  /** Bytes of the entries kept. */
  readonly keptBytes: number;
  /** Entries that could not be removed, with the reason. */
  readonly failed: readonly { readonly name: string; readonly error: string }[];
}

interface Entry {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly usedAt: number;
  readonly directory: boolean;
  readonly temporary: boolean;
}

/**
 * Deletes cache entries unused for `maxAgeMs` (see module doc). A missing cache
 * directory is an empty one.
 */
export async function pruneCache(options: PruneCacheOptions): Promise<PruneCacheResult> {
  const dir = resolve(options.cacheDir);
  const maxAge = options.maxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS;
  const now = options.now ?? Date.now();
  const dryRun = options.dryRun ?? false;
  const entries = await listEntries(dir);
  const protectedPaths = await stampedPaths(dir, entries, now - maxAge);
  const removed: PrunedEntry[] = [];
  const failed: { name: string; error: string }[] = [];
  let keptBytes = 0;
  for (const entry of entries) {
    const age = now - entry.usedAt;
    const stale = age > (entry.temporary ? DAY_MS : maxAge);
    if (!stale || protectedPaths.has(entry.path)) {
      keptBytes += entry.bytes;
      continue;
    }
    try {
      if (!dryRun) await removeEntry(entry);
      removed.push({ name: entry.name, bytes: entry.bytes, ageDays: Math.floor(age / DAY_MS) });
    } catch (error) {
      keptBytes += entry.bytes;
      failed.push({ name: entry.name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { dryRun, removed, freedBytes: removed.reduce((sum, e) => sum + e.bytes, 0), keptBytes, failed };
}

/**
 * Prunes `cacheDir` at most once a day (a marker file records the last time), for hosts
 * that prune on their own. Resolves to null when it was not due.
 */
export async function pruneCacheIfDue(cacheDir: string, maxAgeMs: number = DEFAULT_CACHE_MAX_AGE_MS, now: number = Date.now()): Promise<PruneCacheResult | null> {
  const marker = join(cacheDir, MARKER);
  const last = await stat(marker).then(
    (st) => st.mtimeMs,
    () => null,
  );
  if (last === null) {
    // A cache never pruned: start its clock now, so entries written before this version
    // (never marked as used) get a full period of marks before anything is judged.
    await writeFile(marker, "").catch(() => {});
    return null;
  }
  if (now - last < DAY_MS) return null;
  await writeFile(marker, "");
  return pruneCache({ cacheDir, maxAgeMs, now });
}

async function listEntries(dir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name === MARKER || name.startsWith(".prune-")) continue;
    const path = join(dir, name);
    if (ENTRY_DIRS.includes(name)) {
      for (const inner of await readdir(path).catch(() => [] as string[])) {
        const entry = await describe(join(path, inner), `${name}/${inner}`);
        if (entry) out.push(entry);
      }
      continue;
    }
    const entry = await describe(path, name);
    if (entry) out.push(entry);
  }
  // Leftovers of an interrupted prune are always removed.
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith(".prune-")) out.push({ name, path: join(dir, name), bytes: 0, usedAt: 0, directory: true, temporary: true });
  }
  return out;
}

async function describe(path: string, name: string): Promise<Entry | null> {
  const st = await lstat(path).catch(() => null);
  if (st === null || (!st.isFile() && !st.isDirectory())) return null;
  const directory = st.isDirectory();
  return {
    name,
    path,
    bytes: directory ? await treeBytes(path) : st.size,
    usedAt: Math.max(st.atimeMs, st.mtimeMs),
    directory,
    temporary: /\.tmp$/.test(name) || /\.tmp[-.]/.test(name),
  };
}

async function treeBytes(path: string): Promise<number> {
  let total = 0;
  for (const child of await readdir(path, { withFileTypes: true }).catch(() => [])) {
    const p = join(path, child.name);
    if (child.isDirectory()) total += await treeBytes(p);
    else if (child.isFile()) total += (await lstat(p).catch(() => null))?.size ?? 0;
  }
  return total;
}

/** Files inside the cache that a source stamp used since `since` points at. */
async function stampedPaths(dir: string, entries: readonly Entry[], since: number): Promise<Set<string>> {
  const kept = new Set<string>();
  for (const entry of entries) {
    if (!entry.name.startsWith("source-stamps/") || entry.usedAt < since) continue;
    try {
      const stamp = JSON.parse(await readFile(entry.path, "utf8")) as { path?: unknown };
      if (typeof stamp.path === "string" && resolve(stamp.path).startsWith(`${dir}/`)) kept.add(resolve(stamp.path));
    } catch {
      // A damaged stamp protects nothing.
    }
  }
  return kept;
}

async function removeEntry(entry: Entry): Promise<void> {
  if (!entry.directory) {
    await rm(entry.path, { force: true });
    return;
  }
  // Renamed first: a reader never finds half a directory under the entry's name.
  const away = entry.name.startsWith(".prune-") ? entry.path : join(entry.path, "..", `.prune-${randomUUID()}`);
  if (away !== entry.path) await rename(entry.path, away);
  await rm(away, { recursive: true, force: true });
}
