/**
 * A growable byte buffer with LEB128 encoders. Output is built once per module, so it
 * starts at a caller-chosen capacity (about the input size) and doubles when needed.
 */
export class ByteWriter {
  /** Bytes written so far. */
  length = 0;
  private buf: Uint8Array<ArrayBuffer>;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Appends one byte. */
  byte(b: number): void {
    if (this.length >= this.buf.length) this.grow(1);
    this.buf[this.length++] = b;
  }

  /** Appends an unsigned LEB128 encoding of a u32. */
  u32(value: number): void {
    this.ensure(5);
    let v = value >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.buf[this.length++] = b;
    } while (v !== 0);
  }

  /** Appends a signed LEB128 encoding of a safe integer (used for i32/i64 constants). */
  sleb(value: number | bigint): void {
    this.ensure(10);
    if (typeof value === "number" && value >= 0 && value < 0x40000000) {
      // Fast path for fuel costs and small constants: no BigInt per call.
      let n = value;
      while (n >= 0x40) {
        this.buf[this.length++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      this.buf[this.length++] = n;
      return;
    }
    let v = BigInt(value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.buf[this.length++] = done ? b : b | 0x80;
      if (done) return;
    }
  }

  /** Appends a length-prefixed UTF-8 name. */
  name(s: string): void {
    const bytes = textEncoder.encode(s);
    this.u32(bytes.length);
    this.bytes(bytes);
  }

  /** Appends `src[start, end)`. */
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    if (n <= 0) return;
    this.ensure(n);
    if (n < 64) {
      // Most copies are a few bytes (one basic block); a loop beats allocating a subarray.
      const buf = this.buf;
      let at = this.length;
      for (let i = start; i < end; i++) buf[at++] = src[i]!;
      this.length = at;
      return;
    }
    this.buf.set(src.subarray(start, end), this.length);
    this.length += n;
  }

  /** Appends a section: id, LEB128 size, payload. */
  section(id: number, payload: ByteWriter | Uint8Array): void {
    const bytes = payload instanceof ByteWriter ? payload.view() : payload;
    this.byte(id);
    this.u32(bytes.length);
    this.bytes(bytes);
  }

  /** The bytes written so far (a view; copy it if the writer is reused). */
  view(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.length);
  }

  /** Forgets the contents but keeps the capacity, for reuse as scratch space. */
  reset(): void {
    this.length = 0;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.length + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
}

const textEncoder = new TextEncoder();
