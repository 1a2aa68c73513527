import { WasmFormatError } from "./wasm-format-error.js";

/**
 * The one cursor over WebAssembly binary bytes (the fuel meter's rewriter and every
 * module inspection use it): bounds-checked reads with LEB128 decoding. Kept as a tiny
 * class with a public `pos` so the instrumenting loop can read it without call
 * overhead; V8 inlines these methods in the hot path. Every failed read throws a
 * WasmFormatError at the current position.
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

  /** Unsigned LEB128 of up to 64 bits as a number (exact below 2^53, else refused). */
  u64(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) this.fail("integer too large");
        return result;
      }
      scale *= 128;
    }
    return this.fail("LEB128 value is too long");
  }

  /**
   * Signed LEB128 of up to 64 bits (i32/i64 constants) as a number: exact within 2^53,
   * beyond that the nearest double (only offsets and lengths are compared with it).
   */
  s64(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return b & 0x40 ? result - scale : result;
    }
    // Past 49 bits a double cannot hold the unsigned sum exactly: decode as a BigInt.
    this.pos = start;
    let big = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      big |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return Number(b & 0x40 ? big - (1n << shift) : big);
    }
    return this.fail("LEB128 value is too long");
  }

  /** A little-endian u32 (the header's magic and version). */
  u32Fixed(): number {
    if (this.pos + 4 > this.end) this.fail("unexpected end of data");
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** True when every byte has been read. */
  get done(): boolean {
    return this.pos >= this.end;
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

  /** Throws a WasmFormatError at the current position. */
  fail(detail: string): never {
    throw new WasmFormatError(detail, this.pos);
  }
}

const textDecoder = new TextDecoder("utf-8", { fatal: false });
