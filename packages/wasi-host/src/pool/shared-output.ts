/**
 * A capped output buffer in shared memory. The worker writes the guest's stdout/stderr
 * into it; the main thread reads it after the run, and also after the worker was
 * terminated by the wall clock, so a timed-out run still shows what it printed.
 *
 * Layout: Int32 [0] = bytes kept, Int32 [1] = 1 when bytes were dropped, data from byte 8.
 */
const HEADER_BYTES = 8;
const LENGTH = 0;
const TRUNCATED = 1;

/** Allocates the shared buffer for an output capped at `capBytes`. */
export function allocateSharedOutput(capBytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + Math.max(0, Math.floor(capBytes)));
}

/** Worker side: appends to the buffer until the cap, then only records truncation. */
export class SharedOutputWriter {
  readonly #header: Int32Array;
  readonly #data: Uint8Array;

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
    const used = Atomics.load(this.#header, LENGTH);
    const room = this.#data.length - used;
    const kept = Math.min(room, bytes.length);
    if (kept > 0) {
      this.#data.set(kept === bytes.length ? bytes : bytes.subarray(0, kept), used);
      Atomics.store(this.#header, LENGTH, used + kept);
    }
    if (kept < bytes.length) Atomics.store(this.#header, TRUNCATED, 1);
    // Report everything as written: a guest told "short write" would retry forever.
    return bytes.length;
  }
}

/** Main side: what the worker wrote, decoded as UTF-8 without exceeding the cap. */
export function readSharedOutput(buffer: SharedArrayBuffer): { text: string; truncated: boolean } {
  const header = new Int32Array(buffer, 0, 2);
  const length = Atomics.load(header, LENGTH);
  const truncated = Atomics.load(header, TRUNCATED) === 1;
  const bytes = new Uint8Array(buffer, HEADER_BYTES, length).slice();
  const cap = buffer.byteLength - HEADER_BYTES;
  return { text: decodeCapped(bytes, truncated, cap), truncated };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

/**
 * Decodes UTF-8; when the output was cut, drops a trailing partial character, and makes
 * sure replacement characters for invalid input never push the UTF-8 size above `cap`.
 */
export function decodeCapped(bytes: Uint8Array, truncated: boolean, cap: number): string {
  const end = truncated ? completeCharEnd(bytes) : bytes.length;
  let text = decoder.decode(bytes.subarray(0, end));
  if (encoder.encode(text).length > cap) {
    // Only reachable with invalid UTF-8 (U+FFFD takes 3 bytes): trim whole code points.
    const points = Array.from(text);
    let size = encoder.encode(text).length;
    while (size > cap && points.length > 0) {
      const last = points.pop() ?? "";
      size -= encoder.encode(last).length;
    }
    text = points.join("");
  }
  return text;
}

/** Length of `bytes` without a trailing, incomplete UTF-8 sequence. */
function completeCharEnd(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = bytes[n - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}
