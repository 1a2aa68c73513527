/**
 * Capped output sinks for stdout/stderr: at most `maxBytes` are kept, the rest is
 * counted and dropped (never buffered), and the guest is told every write succeeded
 * so it does not spin retrying.
 */

/** Where fd 1/2 bytes go (a CappedSink, or the pool's shared-memory writer). */
export interface ByteSink {
  /** `bytes` is a view of guest memory, valid only during the call: copy what you keep. */
  write(bytes: Uint8Array): void;
}

/** Keeps the first `maxBytes` bytes written and a truncated flag. */
export class CappedSink implements ByteSink {
  readonly maxBytes: number;
  private buf: Uint8Array;
  private len = 0;
  private dropped = 0;

  constructor(maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
    this.maxBytes = maxBytes;
    this.buf = new Uint8Array(Math.min(maxBytes, 4096));
  }

  /** Appends what fits under the cap; the rest only sets `truncated`. */
  write(bytes: Uint8Array): void {
    const room = this.maxBytes - this.len;
    const take = Math.min(room, bytes.length);
    this.dropped += bytes.length - take;
    if (take === 0) return;
    if (this.len + take > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.maxBytes, Math.max(this.len + take, this.buf.length * 2)));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(bytes.subarray(0, take), this.len);
    this.len += take;
  }

  /** True once any byte was dropped. */
  get truncated(): boolean {
    return this.dropped > 0;
  }

  /** Bytes written past the cap (and dropped). */
  get droppedBytes(): number {
    return this.dropped;
  }

  /** The kept bytes. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /**
   * The kept bytes as text. When the cap cut a multi-byte UTF-8 character, the
   * partial character is left out rather than shown as U+FFFD.
   */
  text(): string {
    let end = this.len;
    if (this.truncated) end = utf8Boundary(this.buf, end);
    return new TextDecoder().decode(this.buf.subarray(0, end));
  }
}

/** The largest index ≤ `end` that does not split a UTF-8 sequence. */
function utf8Boundary(buf: Uint8Array, end: number): number {
  let i = end;
  // Walk back over at most 3 continuation bytes to the lead byte of the last char.
  while (i > 0 && end - i < 4 && ((buf[i - 1] as number) & 0xc0) === 0x80) i--;
  if (i === 0) return end;
  const lead = buf[i - 1] as number;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return end - (i - 1) >= need ? end : i - 1;
}
