/**
 * A capped output buffer in shared memory. The worker writes the guest's stdout/stderr
 * into it — sanitized to valid UTF-8 and cut only on character boundaries — and the main
 * thread reads it as the run goes (streaming) and after it, also after the worker was
 * terminated by the wall clock, so a timed-out run still shows what it printed.
 *
 * Layout: Int32 [0] = bytes kept, Int32 [1] = 1 when bytes were dropped, data from byte 8.
 */
import { Utf8Sanitizer, utf8PrefixLength } from "./utf8-sanitizer.js";

const HEADER_BYTES = 8;
const LENGTH = 0;
const TRUNCATED = 1;

/** Allocates the shared buffer for an output capped at `capBytes`. */
export function allocateSharedOutput(capBytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + Math.max(0, Math.floor(capBytes)));
}

/**
 * Empties `buffer` for another run (one thread at a time writes it: a warm session's
 * worker between two executions) when it was allocated for `capBytes`; returns false,
 * leaving it untouched, when it was not.
 */
export function resetSharedOutput(buffer: SharedArrayBuffer, capBytes: number): boolean {
  if (buffer.byteLength !== HEADER_BYTES + Math.max(0, Math.floor(capBytes))) return false;
  new Int32Array(buffer, 0, 2).fill(0);
  return true;
}

/**
 * Output buffers of finished runs, kept for the next runs (main side). Allocating two
 * zero-filled buffers of the default 2 MB cap was the largest item of a hello's
 * main-thread time (~0.5 ms). A buffer comes back only from a run whose worker task
 * completed — nothing writes to it any more — and is handed out again with its header
 * reset: what a reader sees is bounded by the length the new run writes, so bytes of an
 * earlier run beyond it are never read (guests never see these buffers at all).
 */
export class SharedOutputPool {
  readonly #free = new Map<number, SharedArrayBuffer[]>();
  #count = 0;

  /** @param maxKept buffers kept at most (over all sizes). */
  constructor(readonly maxKept = 8) {}

  /** A buffer for an output capped at `capBytes`: a kept one, reset, or a new one. */
  take(capBytes: number): SharedArrayBuffer {
    const kept = this.#free.get(HEADER_BYTES + Math.max(0, Math.floor(capBytes)))?.pop();
    if (kept === undefined) return allocateSharedOutput(capBytes);
    this.#count--;
    const header = new Int32Array(kept, 0, 2);
    Atomics.store(header, LENGTH, 0);
    Atomics.store(header, TRUNCATED, 0);
    return kept;
  }

  /** Returns a buffer no one writes to or reads from any more; dropped when enough are kept. */
  give(buffer: SharedArrayBuffer): void {
    if (this.#count >= this.maxKept) return;
    const list = this.#free.get(buffer.byteLength) ?? [];
    if (list.includes(buffer)) return;
    list.push(buffer);
    this.#free.set(buffer.byteLength, list);
    this.#count++;
  }

  /** Buffers kept now (for tests). */
  get size(): number {
    return this.#count;
  }
}

/** Worker side: appends valid UTF-8 until the cap, then only records truncation. */
export class SharedOutputWriter {
  readonly #header: Int32Array;
  readonly #data: Uint8Array;
  readonly #utf8 = new Utf8Sanitizer();

  constructor(buffer: SharedArrayBuffer) {
    this.#header = new Int32Array(buffer, 0, 2);
    this.#data = new Uint8Array(buffer, HEADER_BYTES);
  }

  /** Bytes kept so far. */
  get length(): number {
    return Atomics.load(this.#header, LENGTH);
  }

  /** True once anything was dropped. */
  get truncated(): boolean {
    return Atomics.load(this.#header, TRUNCATED) === 1;
  }

  /** Appends what fits; returns the number of bytes the guest may consider written (all). */
  write(bytes: Uint8Array): number {
    if (!this.truncated) this.#append(this.#utf8.push(bytes));
    // Report everything as written: a guest told "short write" would retry forever.
    return bytes.length;
  }

  /** Ends the stream (an incomplete trailing character becomes U+FFFD, if it fits). */
  end(): void {
    if (!this.truncated) this.#append(this.#utf8.end());
  }

  #append(valid: Uint8Array): void {
    if (valid.length === 0) return;
    const used = Atomics.load(this.#header, LENGTH);
    const kept = utf8PrefixLength(valid, this.#data.length - used);
    if (kept > 0) {
      this.#data.set(kept === valid.length ? valid : valid.subarray(0, kept), used);
      Atomics.store(this.#header, LENGTH, used + kept);
    }
    if (kept < valid.length) Atomics.store(this.#header, TRUNCATED, 1);
  }
}

const decoder = new TextDecoder("utf-8");

/** Main side: what the worker wrote, as text (valid UTF-8 within the cap: one native decode). */
export function readSharedOutput(buffer: SharedArrayBuffer): { text: string; truncated: boolean } {
  const header = new Int32Array(buffer, 0, 2);
  const length = Atomics.load(header, LENGTH);
  const truncated = Atomics.load(header, TRUNCATED) === 1;
  return { text: decoder.decode(new Uint8Array(buffer, HEADER_BYTES, length).slice()), truncated };
}

/**
 * Main side, while the run is in flight: the text written since the last call. The worker
 * only ever appends whole characters, so every new range decodes on its own.
 */
export function createOutputTail(buffer: SharedArrayBuffer): () => string {
  const header = new Int32Array(buffer, 0, 2);
  let offset = 0;
  return () => {
    const length = Atomics.load(header, LENGTH);
    if (length <= offset) return "";
    const text = decoder.decode(new Uint8Array(buffer, HEADER_BYTES + offset, length - offset).slice());
    offset = length;
    return text;
  };
}
