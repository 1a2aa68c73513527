/**
 * A bounds-checked cursor over WebAssembly binary bytes: just enough of the format
 * (LEB128 integers, names, limits) to inspect a module before anything compiles it.
 */

/** Thrown when the bytes end early or hold a value this reader refuses. */
export class WasmFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = "WasmFormatError";
  }
}

/** Declared limits of a table or memory. */
export interface Limits {
  readonly min: number;
  readonly max: number | null;
  /** The flags byte as encoded (bit 0: has max, bit 1: shared, bit 2: 64-bit). */
  readonly flags: number;
}

/** A forward-only reader; every read checks the end first. */
export class WasmReader {
  pos: number;

  constructor(readonly bytes: Uint8Array, start = 0, readonly end = bytes.length) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw new WasmFormatError("unexpected end of module", this.pos);
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128, up to 2^53 so 64-bit limits still compare correctly. */
  u64(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) throw new WasmFormatError("integer too large", this.pos);
        return result;
      }
      scale *= 128;
    }
    throw new WasmFormatError("LEB128 integer too long", this.pos);
  }

  u32(): number {
    const v = this.u64();
    if (v > 0xffffffff) throw new WasmFormatError("u32 out of range", this.pos);
    return v;
  }

  /** Signed LEB128 (i32/i64 constants), as a number (exact within 2^53). */
  s64(): number {
    let result = 0;
    let scale = 1;
    let b: number;
    let i = 0;
    do {
      if (i++ >= 10) throw new WasmFormatError("LEB128 integer too long", this.pos);
      b = this.byte();
      result += (b & 0x7f) * scale;
      scale *= 128;
    } while (b & 0x80);
    if (b & 0x40) result -= scale;
    return result;
  }

  /** A little-endian u32 (the header's magic and version). */
  u32Fixed(): number {
    const b0 = this.byte(), b1 = this.byte(), b2 = this.byte(), b3 = this.byte();
    return (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0;
  }

  skip(n: number): void {
    if (n > this.end - this.pos) throw new WasmFormatError("section or vector runs past its end", this.pos);
    this.pos += n;
  }

  name(): string {
    const len = this.u32();
    const start = this.pos;
    this.skip(len);
    return new TextDecoder("utf-8", { fatal: false }).decode(this.bytes.subarray(start, start + len));
  }

  limits(): Limits {
    const flags = this.byte();
    if (flags > 0x07) throw new WasmFormatError(`unknown limits flags 0x${flags.toString(16)}`, this.pos);
    const min = this.u64();
    const max = flags & 1 ? this.u64() : null;
    return { min, max, flags };
  }

  /**
   * Skips a constant expression up to its `end`, returning the value when it is a
   * single `i32.const`/`i64.const` (the offset of an active data segment).
   */
  constExpr(): number | null {
    let value: number | null = null;
    let ops = 0;
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return ops === 1 ? value : null;
      ops++;
      if (op === 0x41 || op === 0x42) value = this.s64();
      else if (op === 0x23 || op === 0xd2) this.u32();
      else if (op === 0xd0) this.byte();
      else if (op === 0x44) this.skip(8);
      else if (op === 0x43) this.skip(4);
      else if ((op >= 0x6a && op <= 0x6c) || (op >= 0x7c && op <= 0x7e)) value = null;
      else throw new WasmFormatError(`unsupported opcode 0x${op.toString(16)} in a constant expression`, this.pos);
    }
  }
}

/** Encodes an unsigned LEB128. */
export function encodeU32(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}
