/**
 * The worker side of `loadModule` (a preparer, see preparer-task.ts): finds a module's
 * instrumented bytes in the disk cache (by source stamp or content hash, verified by
 * checksum) or instruments them and writes the cache, then compiles — all in a pool
 * thread, so the host's event loop never reads, hashes, meters or compiles a runtime
 * binary. Errors come back as data, so the main thread can rethrow them typed. Asked to,
 * it also loads a runtime's snapshot file and imports its driver while the module compiles
 * (see `snapshot/preload-snapshot.ts`). A pre-started pool thread can also start an
 * image's preparation before it is asked for, from a start hint (`speculate`).
 */
import { readFile, rm, stat } from "node:fs/promises";
import type { MemoryImportSpec } from "../types.js";
import { MeterError } from "../meter/meter-error.js";
import type { InstrumentOptions } from "../meter/instrument-module.js";
import { cacheKey } from "./cache-key.js";
import type { instrumentCached as InstrumentCached } from "./instrument-cached.js";
import { deleteCacheEntry, openCacheEntry, sha256 } from "./module-cache.js";
import { readSourceStamp, stampPath, writeSourceStamp } from "./source-stamp.js";
import { marksSettled } from "./cache-usage.js";
import type { PreparerResult } from "./preparer-task.js";
import { importBuiltModule } from "../import-built-module.js";
import { PACKAGE_NAME, resolveBuiltFile, THREAD_DIR } from "../resolve-built-file.js";
import persistSnapshot, { type PersistSnapshotResult } from "../snapshot/persist-snapshot.js";
import { preloadSnapshot, type PreloadedSnapshot, type SnapshotPreload } from "../snapshot/preload-snapshot.js";

/** What `loadModule` asks for. */
export interface PrepareImageInput {
  readonly source: { readonly path: string } | { readonly bytes: Uint8Array };
  readonly name: string;
  readonly cacheDir: string | null;
  readonly options: InstrumentOptions;
  /** Cache keys the caller already holds compiled: for those only the key comes back. */
  readonly known: readonly string[];
  /** The plugin's rewrite applied before metering (`ImageSource.transform`), or null. */
  readonly transform?: { readonly id: string; readonly module: string } | null;
  /**
   * A snapshot to load (and its driver to import) in this thread while the module
   * compiles, as soon as the image's hash is known (see `snapshot/preload-snapshot.ts`).
   */
  readonly snapshot?: SnapshotPreload | null;
}

/** The stat fields `loadModule` remembers per path. */
export interface SourceStatFacts {
  readonly size: number;
  readonly mtimeMs: number;
}

/** What comes back. */
export type PreparedImage =
  | { readonly kind: "known"; readonly key: string; readonly hash: string; readonly stat: SourceStatFacts | null; readonly snapshot?: PersistSnapshotResult }
  | {
      readonly kind: "compiled";
      /** What loading the requested snapshot found (absent when none was requested). */
      readonly snapshot?: PersistSnapshotResult;
      readonly key: string;
      readonly hash: string;
      readonly stat: SourceStatFacts | null;
      readonly module: WebAssembly.Module;
      readonly memory: MemoryImportSpec;
      readonly fuelExport: string;
      readonly growFailedExport: string;
    }
  | { readonly kind: "meter-error"; readonly detail: string; readonly offset: number; readonly functionIndex: number | null }
  | { readonly kind: "error"; readonly message: string; readonly code: string | null };

/** Prepares one image (see module doc). */
export default async function prepareImage(input: PrepareImageInput): Promise<PreparerResult<PreparedImage>> {
  const result = await prepareNow(input);
  // What it read was marked as used without waiting (cache-usage.ts): written by the time the host hears back.
  await marksSettled();
  return result;
}

async function prepareNow(input: PrepareImageInput): Promise<PreparerResult<PreparedImage>> {
  const ahead = takeSpeculation(input);
  const early = ahead === null ? null : await ahead;
  if (early !== null) {
    // Importing the driver is the preload's other half: started now, it is loaded by the time the run arrives.
    if (input.snapshot) void importBuiltModule(input.snapshot.driver).catch(() => undefined);
    return { value: early };
  }
  let preload: Promise<PreloadedSnapshot> | null = null;
  const hashKnown = (hash: string): void => {
    if (input.snapshot && preload === null) preload = preloadSnapshot(input.snapshot, input.name, hash);
  };
  try {
    const value = await prepare(input, hashKnown);
    const loaded = await (preload as Promise<PreloadedSnapshot> | null);
    // A stamp that turned out stale named another hash: that snapshot is not this image's.
    if (loaded === null || (value.kind !== "compiled" && value.kind !== "known") || loaded.imageHash !== value.hash) return { value };
    return { value: { ...value, snapshot: loaded.found } };
  } catch (error) {
    if (MeterError.isInstance(error)) return { value: { kind: "meter-error", detail: error.detail, offset: error.offset, functionIndex: error.functionIndex } };
    const code = (error as { code?: unknown } | null)?.code;
    return { value: { kind: "error", message: error instanceof Error ? error.message : String(error), code: typeof code === "string" ? code : null } };
  }
}

/** Preparations this thread started ahead of their request (`speculate`), by what they prepare. */
const speculations = new Map<string, Promise<PreparedImage | null>>();

/**
 * Starts preparing `input` before it is asked for (a start hint, see
 * `start-hint/start-hint.ts`), from the disk cache only: the verified cache entry its
 * source stamp names, compiled, and its snapshot file. Never instruments (so it imports
 * no transform) and imports no driver. A request with exactly this input takes the
 * result; any other request, or a miss, does its own work as before. Resolves to whether
 * the cache had it (for tests; callers need not wait).
 */
export function speculate(input: PrepareImageInput): Promise<boolean> {
  const key = speculationKey(input);
  if (key === null) return Promise.resolve(false);
  let pending = speculations.get(key);
  if (pending === undefined) {
    pending = prepareFromCache(input).catch(() => null);
    speculations.set(key, pending);
  }
  return pending.then((prepared) => prepared !== null);
}

/** The speculation for exactly `input` (taken once), or null. */
function takeSpeculation(input: PrepareImageInput): Promise<PreparedImage | null> | null {
  if (speculations.size === 0) return null; // every thread but a pre-started pool's first
  const key = input.known.length === 0 ? speculationKey(input) : null;
  const found = key === null ? undefined : speculations.get(key);
  if (found === undefined) return null;
  speculations.delete(key!);
  return found;
}

/** What identifies a preparation from a file into a cache directory (null for other inputs). */
function speculationKey(input: PrepareImageInput): string | null {
  if (!("path" in input.source) || input.cacheDir === null) return null;
  const { source, name, cacheDir, options, transform, snapshot } = input;
  return canonicalJson({ path: source.path, name, cacheDir, options, transform: transform ?? null, snapshot: snapshot ?? null });
}

/** `prepare` for a file whose stamp and cache entry exist; null on any miss. */
async function prepareFromCache(input: PrepareImageInput): Promise<PreparedImage | null> {
  const { cacheDir: dir } = input;
  if (!("path" in input.source) || dir === null) return null;
  const path = input.source.path;
  const st = await stat(path);
  const hash = await readSourceStamp(dir, path, st);
  if (hash === null) return null;
  const found = input.snapshot
    ? persistSnapshot({ op: "load", dir: input.snapshot.dir, name: input.name, driver: input.snapshot.driver, parts: { ...input.snapshot.parts, imageHash: hash } })
    : null;
  const hit = await fromCache(input, cacheKey(hash, input.options, input.transform?.id ?? null), hash, { size: st.size, mtimeMs: st.mtimeMs });
  const snapshot = found === null ? undefined : (await found).value;
  if (hit?.kind !== "compiled") return null;
  return snapshot === undefined ? hit : { ...hit, snapshot };
}

/** JSON with object keys sorted, so two equal inputs built in different key orders agree. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** `hashKnown` is told the image's content hash as soon as it is known (before compiling). */
async function prepare(input: PrepareImageInput, hashKnown: (hash: string) => void): Promise<PreparedImage> {
  const { cacheDir: dir } = input;
  if ("bytes" in input.source) {
    const hash = sha256(input.source.bytes);
    hashKnown(hash);
    return fromBytes(input, input.source.bytes, hash, null);
  }
  const path = input.source.path;
  // stat first: if the file changes while we read it, the recorded stat is the older one
  // and the next load re-reads it rather than trusting a stale hash.
  const st = await stat(path);
  const facts = { size: st.size, mtimeMs: st.mtimeMs };
  const stamped = dir === null ? null : await readSourceStamp(dir, path, st);
  if (stamped !== null) {
    hashKnown(stamped);
    const key = cacheKey(stamped, input.options, input.transform?.id ?? null);
    if (input.known.includes(key)) return { kind: "known", key, hash: stamped, stat: facts };
    const hit = await fromCache(input, key, stamped, facts);
    if (hit) return hit;
  }
  const bytes = await readBytes(path);
  const hash = sha256(bytes);
  hashKnown(hash);
  if (stamped !== null && stamped !== hash) await rm(stampPath(dir!, path), { force: true }); // changed without a stat change
  if (dir !== null && stamped !== hash) await writeSourceStamp(dir, path, st, hash).catch(() => undefined);
  return fromBytes(input, bytes, hash, facts);
}

async function fromBytes(input: PrepareImageInput, bytes: Uint8Array, hash: string, facts: SourceStatFacts | null): Promise<PreparedImage> {
  const key = cacheKey(hash, input.options, input.transform?.id ?? null);
  if (input.known.includes(key)) return { kind: "known", key, hash, stat: facts };
  const hit = await fromCache(input, key, hash, facts);
  if (hit) return hit;
  const source = input.transform ? await applyTransform(input.transform, bytes) : bytes;
  const instrumentCached = await loadInstrumenter();
  const inst = await instrumentCached(source, {
    ...input.options,
    name: input.name,
    sourceHash: hash,
    transformId: input.transform?.id ?? null,
    cacheDir: input.cacheDir ?? false,
  });
  return compiled(key, hash, facts, await compile(inst.bytes, input.name), inst.meta);
}

/** A verified disk-cache entry, compiled; null on a miss (a corrupt entry is deleted). */
async function fromCache(input: PrepareImageInput, key: string, hash: string, facts: SourceStatFacts | null): Promise<PreparedImage | null> {
  if (input.cacheDir === null) return null;
  const hit = await openCacheEntry(input.cacheDir, input.name, key).catch(() => "absent" as const);
  if (typeof hit !== "object") return null;
  // Compiling only validates and translates; nothing runs until the checksum below has
  // passed, and V8 does part of the work on other threads while we hash.
  const compiling = WebAssembly.compile(hit.bytes);
  if (hit.verify()) return compiled(key, hash, facts, await compileResult(compiling, input.name), hit.meta);
  compiling.catch(() => undefined); // the bytes failed their checksum: never used
  await deleteCacheEntry(input.cacheDir, input.name, key).catch(() => undefined);
  return null;
}

function compiled(
  key: string,
  hash: string,
  facts: SourceStatFacts | null,
  module: WebAssembly.Module,
  meta: { memory: MemoryImportSpec; fuelExport: string; growFailedExport: string },
): PreparedImage {
  return { kind: "compiled", key, hash, stat: facts, module, memory: meta.memory, fuelExport: meta.fuelExport, growFailedExport: meta.growFailedExport };
}

function compile(bytes: Uint8Array<ArrayBuffer>, name: string): Promise<WebAssembly.Module> {
  return compileResult(WebAssembly.compile(bytes), name);
}

async function compileResult(compiling: Promise<WebAssembly.Module>, name: string): Promise<WebAssembly.Module> {
  try {
    return await compiling;
  } catch (cause) {
    throw new Error(
      `compiling the metered module ${name} failed (${String(cause)}) — this is a meter bug; ` +
        "report it with the module, or clear the cache directory if it was edited by hand",
    );
  }
}

let instrumenter: Promise<typeof InstrumentCached> | null = null;

/**
 * The meter (`instrument-cached.ts` and everything it imports, the biggest part of this
 * preparer) is loaded only when a module has to be instrumented: a thread whose image
 * comes from the disk cache — every CLI start once the cache is warm — never loads it.
 */
function loadInstrumenter(): Promise<typeof InstrumentCached> {
  instrumenter ??= importBuiltModule(resolveBuiltFile(import.meta.url, `${THREAD_DIR}/cache/instrument-cached.js`, PACKAGE_NAME)).then(
    (mod) => (mod as { instrumentCached: typeof InstrumentCached }).instrumentCached,
    (error: unknown) => {
      instrumenter = null; // a later preparation tries again
      throw error;
    },
  );
  return instrumenter;
}

const transforms = new Map<string, (bytes: Uint8Array) => Uint8Array>();

/** Runs a plugin's image transform (loaded once per thread) on the original bytes. */
async function applyTransform(transform: { readonly id: string; readonly module: string }, bytes: Uint8Array): Promise<Uint8Array> {
  let run = transforms.get(transform.module);
  if (run === undefined) {
    const mod = (await importBuiltModule(transform.module)) as { default?: unknown };
    if (typeof mod.default !== "function") throw new TypeError(`image transform ${transform.id} (${transform.module}) has no default export function`);
    run = mod.default as (bytes: Uint8Array) => Uint8Array;
    transforms.set(transform.module, run);
  }
  const out = run(bytes);
  if (!(out instanceof Uint8Array)) throw new TypeError(`image transform ${transform.id} did not return bytes`);
  return out;
}

async function readBytes(path: string): Promise<Uint8Array> {
  const buf = await readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

