/**
 * The worker side of start hints (see `start-hint.ts`): the first thread of a pre-started
 * pool prepares the hinted images from the disk cache (`cache/prepare-image.ts`
 * `speculate`) and imports the hinted drivers, before any task arrives — while the main
 * thread is still loading its modules. The pool passes the hint as its threads' `workerData`.
 * It also sets the V8 flags its process asked for (`PrestartHint.v8Flags`), first thing.
 */
import { setFlagsFromString } from "node:v8";
import { importBuiltModule } from "../import-built-module.js";
import { PACKAGE_NAME, resolveBuiltFile, THREAD_DIR } from "../resolve-built-file.js";
import type { PrepareImageInput } from "../cache/prepare-image.js";

/** Tag of the `workerData` a pre-started pool carries. */
export const SPECULATION = "llm-wasm-sandbox/start-hint";

/** What a pre-started pool gives its threads (their `workerData`). */
export interface Speculation {
  readonly kind: typeof SPECULATION;
  /** Image preparations to start from the disk cache. */
  readonly images: readonly PrepareImageInput[];
  /** Drivers to import: only those the main thread allowed (inside the runtime package's build). */
  readonly drivers: readonly string[];
  /** V8 flags to set before anything else (see `PrestartHint.v8Flags`): from the caller of `prestartPool`, never from a hint file. */
  readonly v8Flags: readonly string[];
  /** 4 bytes: the first thread to set them acts, later threads of the pool do nothing. */
  readonly claim: SharedArrayBuffer;
}

/**
 * Starts the speculation `data` describes, in the first thread that sees it; anything
 * else is ignored. Its V8 flags are set synchronously, before this returns: the thread's
 * entry calls this before it loads the worker module, so no task of the pool can compile
 * a module before they are in force. (`setFlags` is for tests.)
 */
export function startSpeculation(data: unknown, setFlags: (flag: string) => void = setFlagsFromString): void {
  if (!isSpeculation(data) || Atomics.compareExchange(new Int32Array(data.claim), 0, 0, 1) !== 0) return;
  for (const flag of data.v8Flags) setFlags(flag);
  void speculate(data).catch(() => undefined);
}

async function speculate(s: Speculation): Promise<void> {
  if (s.images.length > 0) {
    // The images first: their files are read and compiled on other threads while this one imports the drivers.
    const preparer = (await importBuiltModule(resolveBuiltFile(import.meta.url, `${THREAD_DIR}/cache/prepare-image.js`, PACKAGE_NAME))) as { speculate?: (input: PrepareImageInput) => Promise<boolean> };
    for (const input of s.images) void preparer.speculate?.(input);
  }
  // A driver that does not load is the run's to report.
  for (const url of s.drivers) await importBuiltModule(url).catch(() => undefined);
}

function isSpeculation(v: unknown): v is Speculation {
  if (typeof v !== "object" || v === null) return false;
  const s = v as Partial<Speculation>;
  return (
    s.kind === SPECULATION &&
    Array.isArray(s.images) &&
    Array.isArray(s.drivers) &&
    Array.isArray(s.v8Flags) &&
    s.v8Flags.every((f) => typeof f === "string") &&
    s.claim instanceof SharedArrayBuffer &&
    s.claim.byteLength >= 4
  );
}
