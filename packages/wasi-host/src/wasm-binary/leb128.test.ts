import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader } from "./byte-reader.js";
import { ByteWriter } from "./byte-writer.js";
import { decodeSLEB128, decodeULEB128, encodeSLEB128, encodeULEB128 } from "./leb128.js";
import { WasmFormatError } from "./wasm-format-error.js";

describe("LEB128", () => {
  it("round-trips unsigned 64-bit values", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        const enc = encodeULEB128(v);
        expect(decodeULEB128(enc)).toEqual({ value: v, length: enc.length });
      }),
    );
  });

  it("round-trips signed 64-bit values", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => {
        const enc = encodeSLEB128(v);
        expect(decodeSLEB128(enc)).toEqual({ value: v, length: enc.length });
      }),
    );
  });

  it("ByteWriter.u32 and ByteReader.u32 agree with the reference encoder", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        const w = new ByteWriter(1);
        w.u32(v);
        expect(Array.from(w.view())).toEqual(Array.from(encodeULEB128(v)));
        const r = new ByteReader(w.view());
        expect(r.u32()).toBe(v);
        expect(r.pos).toBe(w.length);
      }),
    );
  });

  it("ByteWriter.sleb matches the reference encoder for numbers and bigints", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n })), (v) => {
        const w = new ByteWriter(1);
        w.sleb(v);
        expect(Array.from(w.view())).toEqual(Array.from(encodeSLEB128(v)));
      }),
    );
  });

  it("ByteReader.u32 accepts padded encodings and rejects values past 32 bits", () => {
    expect(new ByteReader(Uint8Array.of(0x85, 0x80, 0x80, 0x80, 0x00)).u32()).toBe(5);
    expect(() => new ByteReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x1f)).u32()).toThrow(WasmFormatError);
    expect(() => new ByteReader(Uint8Array.of(0x80, 0x80)).u32()).toThrow(/unexpected end/);
  });

  it("ByteReader.s64 and u64 agree with the reference decoders within 2^53", () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (v) => {
        expect(new ByteReader(encodeSLEB128(v)).s64()).toBe(v);
        if (v >= 0) expect(new ByteReader(encodeULEB128(v)).u64()).toBe(v);
      }),
    );
    expect(() => new ByteReader(encodeULEB128(2n ** 60n)).u64()).toThrow(/integer too large/);
  });

  it("ByteReader.u32Fixed reads the header's little-endian words", () => {
    const r = new ByteReader(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
    expect([r.u32Fixed(), r.u32Fixed(), r.done]).toEqual([0x6d736100, 1, true]);
    expect(() => r.u32Fixed()).toThrow(WasmFormatError);
  });
});
