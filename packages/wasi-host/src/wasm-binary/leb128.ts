/**
 * Standalone LEB128 encoders/decoders over plain arrays, used by tests, the test
 * assembler and anything outside the instrumenting hot path (which uses ByteReader).
 */

/** Encodes an unsigned integer (up to 64 bits) as unsigned LEB128. */
export function encodeULEB128(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError("encodeULEB128 needs a non-negative value");
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

/** Encodes a signed integer (up to 64 bits) as signed LEB128. */
export function encodeSLEB128(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return Uint8Array.from(out);
  }
}

/** Decodes unsigned LEB128 at `offset`; returns the value and the number of bytes read. */
export function decodeULEB128(bytes: Uint8Array, offset = 0): { value: bigint; length: number } {
  let result = 0n;
  let shift = 0n;
  let i = offset;
  for (;;) {
    const b = bytes[i++];
    if (b === undefined) throw new RangeError("truncated LEB128");
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) return { value: result, length: i - offset };
  }
}

/** Decodes signed LEB128 at `offset`; returns the value and the number of bytes read. */
export function decodeSLEB128(bytes: Uint8Array, offset = 0): { value: bigint; length: number } {
  let result = 0n;
  let shift = 0n;
  let i = offset;
  for (;;) {
    const b = bytes[i++];
    if (b === undefined) throw new RangeError("truncated LEB128");
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) {
      if ((b & 0x40) !== 0) result -= 1n << shift;
      return { value: result, length: i - offset };
    }
  }
}
