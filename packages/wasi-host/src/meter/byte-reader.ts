import { MeterError } from "./meter-error.js";

/**
 * A cursor over WebAssembly bytes with LEB128 decoding. Kept as a tiny class with a
 * public `pos` so the instrumenting loop can read it without call overhead; V8 inlines
 * these methods in the hot path.
 */
export class ByteReader {
  /** Current read position (absolute offset into `buf`). */
  pos: number;
  /** One past the last readable byte. */
  readonly end: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  /** Reads one byte. */
  byte(): number {
    if (this.pos >= this.end) this.fail("unexpected end of data");
    return this.buf[this.pos++]!;
  }

  /** Reads an unsigned LEB128 value of at most 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) this.fail("unexpected end of data in LEB128");
      const b = this.buf[this.pos++]!;
      if (shift < 28) result |= (b & 0x7f) << shift;
      else if (shift === 28) {
        if ((b & 0x70) !== 0) this.fail("LEB128 value does not fit in 32 bits");
        result |= (b & 0x0f) << 28;
      } else this.fail("LEB128 value is too long for 32 bits");
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  /** Skips a (signed or unsigned) LEB128 value of at most `maxBytes` bytes. */
  skipLeb(maxBytes = 10): void {
    const limit = this.pos + maxBytes;
    for (;;) {
      if (this.pos >= this.end) this.fail("unexpected end of data in LEB128");
      if (this.pos >= limit) this.fail("LEB128 value is too long");
      if ((this.buf[this.pos++]! & 0x80) === 0) return;
    }
  }

  /** Skips `n` raw bytes. */
  skip(n: number): void {
    if (this.pos + n > this.end) this.fail("unexpected end of data");
    this.pos += n;
  }

  /** Reads a length-prefixed UTF-8 name. */
  name(): string {
    const len = this.u32();
    const start = this.pos;
    this.skip(len);
    return textDecoder.decode(this.buf.subarray(start, start + len));
  }

  /** Throws a MeterError at the current position. */
  fail(detail: string, functionIndex?: number): never {
    throw new MeterError(detail, { offset: this.pos, functionIndex: functionIndex ?? null });
  }
}

const textDecoder = new TextDecoder("utf-8", { fatal: false });
