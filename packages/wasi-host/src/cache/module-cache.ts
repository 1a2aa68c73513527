/**
 * The on-disk cache of instrumented modules. An entry is two files:
 *
 *     <name>-<key>.wasm   the instrumented bytes
 *     <name>-<key>.json   a sidecar: sha256 and size of those bytes, the memory import,
 *                         the meter's export names (written last: its presence marks the
 *                         entry complete)
 *
 * Both are written to a temp file and renamed, so readers never see a half-written
 * file, and concurrent writers of the same key (whose output is identical, since the
 * rewrite is deterministic) cannot corrupt each other. A reader checks everything —
 * sidecar shape, key, size, sha256 — and deletes an entry that fails any check, so a
 * truncated or bit-flipped module is rebuilt, never compiled. The first reader whose
 * sha256 passed leaves a verified stamp (`<name>-<key>.wasm.verified`, see
 * `verified-stamp.ts`): later readers skip the hash while the file's stat is unchanged.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { atomicWrite } from "./atomic-write.js";
import type { MemoryImportSpec } from "../types.js";
import { markCacheEntryUsed } from "./cache-usage.js";
import { sameStat, statOfFd, verifiedStampPath, verifyWithStamp, type TimedStat } from "./verified-stamp.js";

/** What the sidecar records next to the instrumented bytes. */
export interface CacheEntryMeta {
  /** Sidecar format version. */
  readonly format: 1;
  /** The cache key the entry was written under. */
  readonly key: string;
  /** sha256 hex of the original module. */
  readonly sourceHash: string;
  /** sha256 hex and length of the instrumented bytes. */
  readonly sha256: string;
  readonly size: number;
  readonly memory: MemoryImportSpec;
  readonly fuelExport: string;
  readonly growFailedExport: string;
  readonly mutableGlobalExports: readonly string[];
  readonly strippedBytes: number;
}

/** A verified cache entry. */
export interface CacheEntry {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly meta: CacheEntryMeta;
}

/** Why an entry was rejected (for logs and tests). */
export type CacheMiss = "absent" | "corrupt";

/** The two file paths of an entry. */
export function entryPaths(dir: string, name: string, key: string): { wasm: string; json: string } {
  const base = `${safeName(name)}-${key}`;
  return { wasm: join(dir, `${base}.wasm`), json: join(dir, `${base}.json`) };
}

/**
 * Reads and verifies an entry. Returns the entry, or the reason it is unusable; a
 * corrupt entry has already been deleted when this returns.
 */
export async function readCacheEntry(dir: string, name: string, key: string): Promise<CacheEntry | CacheMiss> {
  const opened = await openCacheEntry(dir, name, key);
  if (typeof opened !== "object") return opened;
  if (!opened.verify()) {
    await deleteCacheEntry(dir, name, key);
    return "corrupt";
  }
  return { bytes: opened.bytes, meta: opened.meta };
}

/**
 * An entry whose sidecar parsed and whose size matched, but whose checksum has not been
 * checked yet: `verify()` hashes the bytes, unless the file's verified stamp says they
 * passed before and the file has not changed since. Lets a caller start compiling (which
 * never runs anything) while it verifies; the bytes must not be used to run a guest
 * unless `verify()` returned true.
 */
export interface UnverifiedCacheEntry extends CacheEntry {
  /** True when the bytes' sha256 is the one the sidecar recorded (or an unchanged file's stamp says so). */
  verify(): boolean;
}

/**
 * Reads an entry without hashing it (see `UnverifiedCacheEntry`). An entry whose sidecar
 * is damaged, or whose bytes are missing or of the wrong size, is deleted and reported
 * as "corrupt"; a checksum failure is the caller's to handle (`deleteCacheEntry`).
 *
 * Worker-side only: each file is read with blocking reads (one system call for the whole
 * module where the OS allows; `readFile` would take ~80 thread-pool round trips for a
 * 40 MB module), which only ever stall a pool thread. The entry's files are marked as used
 * without waiting (`marksSettled()`).
 */
export async function openCacheEntry(dir: string, name: string, key: string): Promise<UnverifiedCacheEntry | CacheMiss> {
  const paths = entryPaths(dir, name, key);
  let sidecar: string;
  try {
    sidecar = readFileSync(paths.json, "utf8");
  } catch (e) {
    if (isNotFound(e)) {
      // A wasm file without its sidecar is an interrupted or damaged write.
      await rm(paths.wasm, { force: true });
      return "absent";
    }
    throw e;
  }
  const meta = parseMeta(sidecar, key);
  const read = meta ? readStable(paths.wasm) : null;
  if (!meta || !read || read.bytes.length !== meta.size) {
    await deleteCacheEntry(dir, name, key);
    return "corrupt";
  }
  const { bytes, stat } = read;
  void markCacheEntryUsed(paths.json);
  void markCacheEntryUsed(paths.wasm);
  let verdict: boolean | null = null;
  const verify = (): boolean => verifyWithStamp(paths.wasm, stat, meta.sha256, () => sha256(bytes) === meta.sha256);
  return { bytes, meta, verify: () => (verdict ??= verify()) };
}

/** Writes an entry atomically (bytes first, sidecar last). */
export async function writeCacheEntry(dir: string, name: string, meta: CacheEntryMeta, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const paths = entryPaths(dir, name, meta.key);
  await atomicWrite(paths.wasm, bytes);
  await atomicWrite(paths.json, JSON.stringify(meta, null, 2));
}

/** Removes the files of an entry, its verified stamp included (missing files are fine). */
export async function deleteCacheEntry(dir: string, name: string, key: string): Promise<void> {
  const paths = entryPaths(dir, name, key);
  await rm(paths.json, { force: true });
  await rm(verifiedStampPath(paths.wasm), { force: true });
  await rm(paths.wasm, { force: true });
}

/** sha256 hex of `bytes`. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The file's bytes, and its stat when it was the same before and after the read (null when
 * it changed meanwhile: such bytes are hashed, never stamped); null when the file is missing.
 */
function readStable(path: string): { bytes: Uint8Array<ArrayBuffer>; stat: TimedStat | null } | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
  try {
    const before = statOfFd(fd);
    const buf = readFileSync(fd);
    const after = statOfFd(fd);
    return { bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), stat: sameStat(before, after) ? before : null };
  } finally {
    closeSync(fd);
  }
}

function parseMeta(text: string, key: string): CacheEntryMeta | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const m = v as Record<string, unknown>;
  const mem = m["memory"] as Record<string, unknown> | null | undefined;
  const ok =
    m["format"] === 1 &&
    m["key"] === key &&
    isHex64(m["sourceHash"]) &&
    isHex64(m["sha256"]) &&
    isCount(m["size"]) &&
    isCount(m["strippedBytes"]) &&
    typeof m["fuelExport"] === "string" &&
    typeof m["growFailedExport"] === "string" &&
    Array.isArray(m["mutableGlobalExports"]) &&
    (m["mutableGlobalExports"] as unknown[]).every((s) => typeof s === "string") &&
    typeof mem === "object" &&
    mem !== null &&
    typeof mem["module"] === "string" &&
    typeof mem["name"] === "string" &&
    isCount(mem["initialPages"]) &&
    (mem["maximumPages"] === null || isCount(mem["maximumPages"]));
  return ok ? (v as CacheEntryMeta) : null;
}

function isHex64(v: unknown): boolean {
  return typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
}

function isCount(v: unknown): boolean {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function isNotFound(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "ENOENT";
}

/** A file-name-safe form of a module name ("ruby+stdlib.wasm" → "ruby-stdlib"). */
function safeName(name: string): string {
  const base = name.replace(/\.wasm$/i, "").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "");
  return (base || "module").slice(0, 64);
}
