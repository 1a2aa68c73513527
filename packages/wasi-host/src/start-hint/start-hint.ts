/**
 * Start hints: what a one-shot process (the CLI) can begin before it knows its plugin.
 *
 * A new `llm-wasm-sandbox run hello.rb` spends its first ~200 ms on the main thread loading
 * modules (core, zod, commander, the plugin) before the plugin says which image, snapshot
 * and driver the run needs; only then does a pool thread read, verify and compile the
 * image (Ruby's is 40 MB) and load the snapshot and the driver. The previous process of
 * the same kind knew all of that. So after a run the CLI saves what this process's runner
 * asked its pool threads to load (`saveStartHint`, in `record-start-hint.ts`: kept out of
 * this file, which the `./prestart` entry loads first thing), and the next process hands the hint to
 * its pre-started pool thread (`prestartPool`), which prepares the same image from the
 * disk cache while the main thread is still loading (`start-hint/speculate.ts`). The run's
 * own request takes that preparation if, and only if, it asks for exactly the same thing.
 *
 * A hint decides nothing: a stale, damaged or forged hint only costs the speculative work.
 * Speculation uses verified disk-cache entries only (it never instruments, so it never
 * imports an image transform), takes nothing from outside the cache directory the hint
 * lives in except the image files and drivers named by the run's own request, and imports
 * a driver only from the directory its caller allows (the runtime package's build).
 *
 *     <cacheDir>/start-hints/<name>.json   { format: 1, images: PrepareImageInput[], drivers: string[] }
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveCacheDir } from "../cache/cache-dir.js";
import type { PrepareImageInput } from "../cache/prepare-image.js";
import { SPECULATION, type Speculation } from "./speculate.js";

/** Sub-directory of the cache directory that holds start hints. */
export const START_HINT_DIR = "start-hints";
/** A hint is a few hundred bytes; anything much bigger is not one. */
const MAX_HINT_BYTES = 64 * 1024;
/** Images and drivers a hint holds at most. */
export const MAX_HINT_ENTRIES = 8;
/** What a hint's name may be (it names a file). */
export const HINT_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** What a process loaded: the images it prepared from files, and the drivers its runs used. */
export interface StartHint {
  /** Image preparations as the runner requested them (path sources, nothing known yet). */
  readonly images: readonly PrepareImageInput[];
  /** File URLs of the drivers the runs used. */
  readonly drivers: readonly string[];
}

/** The file of hint `name` in `cacheDir`. */
export function startHintPath(cacheDir: string, name: string): string {
  return join(cacheDir, START_HINT_DIR, `${name}.json`);
}

/**
 * Hint `name` from `cacheDir` (a small synchronous read: the CLI calls this before
 * anything else loads), or null when there is none or it is not a well-formed hint for
 * this cache directory.
 */
export function readStartHint(cacheDir: string, name: string): StartHint | null {
  if (!HINT_NAME.test(name)) return null;
  let value: unknown;
  try {
    const text = readFileSync(startHintPath(cacheDir, name), "utf8");
    if (text.length > MAX_HINT_BYTES) return null;
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const hint = value as { format?: unknown; images?: unknown; drivers?: unknown } | null;
  if (typeof hint !== "object" || hint === null || hint.format !== 1 || !Array.isArray(hint.images) || !Array.isArray(hint.drivers)) return null;
  const images = (hint.images as unknown[]).slice(0, MAX_HINT_ENTRIES);
  const drivers = (hint.drivers as unknown[]).slice(0, MAX_HINT_ENTRIES);
  if (!images.every((i) => isImageInput(i, cacheDir)) || !drivers.every(isFileUrl)) return null;
  return { images, drivers };
}

/** A path-source image preparation in `cacheDir`, shaped as `load-module.ts` builds it. */
function isImageInput(v: unknown, cacheDir: string): v is PrepareImageInput {
  if (typeof v !== "object" || v === null) return false;
  const i = v as Record<string, unknown>;
  const source = i["source"] as Record<string, unknown> | null;
  const options = i["options"] as Record<string, unknown> | null;
  const transform = i["transform"] as Record<string, unknown> | null | undefined;
  const snapshot = i["snapshot"] as Record<string, unknown> | null | undefined;
  return (
    typeof source === "object" &&
    source !== null &&
    typeof source["path"] === "string" &&
    typeof i["name"] === "string" &&
    i["cacheDir"] === cacheDir &&
    Array.isArray(i["known"]) &&
    (i["known"] as unknown[]).length === 0 &&
    typeof options === "object" &&
    options !== null &&
    typeof options["exportMutableGlobals"] === "boolean" &&
    typeof options["keepNameSection"] === "boolean" &&
    (transform === null || transform === undefined || (typeof transform["id"] === "string" && typeof transform["module"] === "string")) &&
    (snapshot === null ||
      snapshot === undefined ||
      (snapshot["dir"] === cacheDir && isFileUrl(snapshot["driver"]) && typeof snapshot["parts"] === "object" && snapshot["parts"] !== null))
  );
}

function isFileUrl(v: unknown): v is string {
  return typeof v === "string" && v.startsWith("file:");
}

/** Where a pre-started pool finds its hint, which drivers it may import ahead, and the V8 flags it sets. */
export interface PrestartHint {
  /** The hint's name (the CLI uses the runtime type, e.g. "ruby"). */
  readonly name: string;
  /** Cache directory of the hint and of its images (default: wasi-host's default cache directory). */
  readonly cacheDir?: string;
  /**
   * Directory whose files may be imported ahead as drivers (the runtime package's build
   * directory); drivers elsewhere are left to the run. Default: none are imported ahead.
   */
  readonly driverDir?: string;
  /**
   * V8 flags (`v8.setFlagsFromString`) the pool's first thread sets as soon as it has
   * booted, before it compiles anything — for a one-shot process that tunes V8 for itself
   * (the CLI; a library host passes none: V8 flags are per process). Set there, not on the
   * main thread at start: a changed flag changes V8's flag hash, so every built-in Node
   * module compiled afterwards, in any thread, misses Node's code cache — a thread booted
   * after the change takes ~20 ms more CPU, and the main thread's later built-ins ~10 ms.
   * Taken from here only, never from a hint file. Default: none.
   */
  readonly v8Flags?: readonly string[];
}

/**
 * The `workerData` of a pool pre-started with `hint`, or undefined when there is nothing
 * to do: no usable hint file and no V8 flags.
 */
export function speculationFor(hint: PrestartHint): Speculation | undefined {
  const cacheDir = resolveCacheDir(hint.cacheDir);
  const found = readStartHint(cacheDir, hint.name);
  const v8Flags = [...(hint.v8Flags ?? [])];
  if (found === null && v8Flags.length === 0) return undefined;
  const { driverDir } = hint;
  const drivers = found === null || driverDir === undefined ? [] : found.drivers.filter((url) => isInside(url, driverDir));
  return { kind: SPECULATION, images: found?.images ?? [], drivers, v8Flags, claim: new SharedArrayBuffer(4) };
}

/** `url` names a file inside `dir` (after normalizing `..` segments). */
function isInside(url: string, dir: string): boolean {
  let path: string;
  try {
    path = resolve(fileURLToPath(url));
  } catch {
    return false;
  }
  const rel = relative(resolve(dir), path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}
