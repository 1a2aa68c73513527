/**
 * An initialized interpreter as a memory image: the pages of linear memory that differ
 * from what a freshly instantiated module already holds, plus its mutable globals, so a
 * run restores only those into a fresh instance.
 *
 * Ruby's `ruby-init` leaves ~70 MiB of linear memory, but most of it is either zero or
 * identical to the module's data segments (the packed standard library), which every new
 * instance gets from instantiation anyway. Copying only the pages that differ keeps a
 * restore to a few MiB of memcpy and, as important, avoids touching (and so committing)
 * untouched pages.
 */
import { GLOBAL_EXPORT_PREFIX } from "../meter/global-export-prefix.js";

/** WebAssembly page size. */
export const PAGE_BYTES = 65536;

/** A byte range `[start, end)` of linear memory, page aligned. */
export interface PageRun {
  readonly start: number;
  readonly end: number;
}

/**
 * A serializable snapshot of an initialized guest: which pages to write where, their bytes
 * packed back to back in a SharedArrayBuffer (shared with every worker, never copied),
 * the final memory size and the values of the module's mutable globals.
 */
export interface MemoryImage {
  /** Linear memory size at snapshot time, in bytes (a multiple of PAGE_BYTES). */
  readonly byteLength: number;
  /** Ranges of memory stored in `data`, in order; `data` holds them back to back. */
  readonly runs: readonly PageRun[];
  readonly data: SharedArrayBuffer;
  /** Mutable globals by export name (`__llm_global_<index>`), i32 as number, i64 as bigint. */
  readonly globals: Readonly<Record<string, number | bigint>>;
  /**
   * Identifies the image's content (a random id when captured, the checksum when read from
   * a file): two images with one id are the same image. Structured clones keep it, so a
   * worker can tell the image a pre-warmed instance holds from another one. Images without
   * one are never pre-warmed.
   */
  readonly id?: string;
}

/**
 * The page runs of `current` that differ from `fresh` (the memory of a just-instantiated
 * module); pages beyond `fresh` count when they are not all zero (grown memory is zeroed).
 */
export function diffPages(current: Uint8Array, fresh: Uint8Array): PageRun[] {
  if (current.byteLength % PAGE_BYTES !== 0 || fresh.byteLength % PAGE_BYTES !== 0) {
    throw new RangeError("memory images must be whole WebAssembly pages");
  }
  const cur = words(current);
  const old = words(fresh);
  const wordsPerPage = PAGE_BYTES / 4;
  const pages = current.byteLength / PAGE_BYTES;
  const runs: PageRun[] = [];
  let runStart = -1;
  for (let page = 0; page <= pages; page++) {
    const differs = page < pages && pageDiffers(cur, old, page * wordsPerPage, wordsPerPage);
    if (differs && runStart < 0) runStart = page;
    if (!differs && runStart >= 0) {
      runs.push({ start: runStart * PAGE_BYTES, end: page * PAGE_BYTES });
      runStart = -1;
    }
  }
  return runs;
}

/** Packs the bytes of `runs` from `memory` into a new image. */
export function captureImage(
  memory: Uint8Array,
  fresh: Uint8Array,
  globals: Readonly<Record<string, number | bigint>>,
): MemoryImage {
  const runs = diffPages(memory, fresh);
  const total = runs.reduce((n, r) => n + (r.end - r.start), 0);
  const data = new SharedArrayBuffer(total);
  const out = new Uint8Array(data);
  let offset = 0;
  for (const r of runs) {
    out.set(memory.subarray(r.start, r.end), offset);
    offset += r.end - r.start;
  }
  return { byteLength: memory.byteLength, runs, data, globals, id: crypto.randomUUID() };
}

/**
 * Writes an image into the memory of a freshly instantiated module, growing it first.
 * @throws RangeError when the memory cannot grow to the image's size (the memory cap).
 */
export function restoreImage(memory: WebAssembly.Memory, image: MemoryImage): void {
  const missing = (image.byteLength - memory.buffer.byteLength) / PAGE_BYTES;
  if (missing > 0) memory.grow(missing);
  const dst = new Uint8Array(memory.buffer);
  const src = new Uint8Array(image.data);
  let offset = 0;
  for (const r of image.runs) {
    const len = r.end - r.start;
    dst.set(src.subarray(offset, offset + len), r.start);
    offset += len;
  }
}

// 32-bit words: plain numbers compare much faster than BigInt lanes.
function words(bytes: Uint8Array): Int32Array {
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function pageDiffers(cur: Int32Array, old: Int32Array, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) {
    // Past the end of `old` reads undefined: the fresh page is zero there.
    if (cur[i] !== (old[i] ?? 0)) return true;
  }
  return false;
}

/**
 * The mutable globals the meter exported (`__llm_global_<index>`, see
 * `exportMutableGlobals`), minus the names given (the run's own fuel and grow flags).
 */
export function readGlobals(instance: WebAssembly.Instance, exclude: readonly string[]): Record<string, number | bigint> {
  const out: Record<string, number | bigint> = {};
  for (const [name, value] of Object.entries(instance.exports)) {
    if (!name.startsWith(GLOBAL_EXPORT_PREFIX) || exclude.includes(name)) continue;
    if (value instanceof WebAssembly.Global) out[name] = value.value as number | bigint;
  }
  return out;
}

/** Sets globals read by `readGlobals` on another instance of the same module. */
export function writeGlobals(instance: WebAssembly.Instance, globals: Readonly<Record<string, number | bigint>>): void {
  for (const [name, value] of Object.entries(globals)) {
    const global = instance.exports[name];
    if (!(global instanceof WebAssembly.Global)) throw new Error(`the module has no exported global ${name} — was it loaded with exportMutableGlobals?`);
    global.value = value;
  }
}

/**
 * `restoreImage` + `writeGlobals` for a run whose memory is capped at `memoryBytes`: an
 * image larger than the cap is a RangeError that names both sizes and `what` the image
 * is ("the initialized Ruby VM"), so the run is reported as `memory_limit` with a message
 * saying what to raise.
 */
export function restoreWithinCap(memory: WebAssembly.Memory, instance: WebAssembly.Instance, image: MemoryImage, memoryBytes: number, what: string): void {
  try {
    restoreImage(memory, image);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const need = Math.ceil(image.byteLength / 1048576);
    throw new RangeError(
      `could not allocate memory: ${what} needs ${need} MiB of linear memory but memoryBytes allows ${Math.floor(memoryBytes / 1048576)} MiB — raise memoryBytes`,
      { cause: error },
    );
  }
  writeGlobals(instance, image.globals);
}
