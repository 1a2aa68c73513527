import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader } from "../wasm-binary/byte-reader.js";
import { readSections } from "../wasm-binary/module-sections.js";
import { instrumentModule } from "./instrument-module.js";
import { meterWat, wat } from "./test-support.js";

/**
 * Charge and refund amounts are known only once the code they pay for has been written;
 * they are filled in with their minimal LEB128 encoding (1 byte below 64, 2 below 8192,
 * 3 below 2^20). These tests pin the encoding and check the fuel where amounts cross
 * those byte boundaries.
 */

/** `n` operators of one unit each (`i32.const 0 drop`: drop is free). */
const units = (n: number): string => "i32.const 0 drop ".repeat(n);

/**
 * The charge inside the `if` is a region: its own 4 operators, `w2` units a taken `br_if`
 * skips (its refund) and `w1` units after the block (a join charged ahead). After the `if`
 * come `w3` units joined to the entry's charge.
 */
const program = (w1: number, w2: number, w3: number): string => `(module
  (func (export "f") (param i32) (result i32)
    local.get 0
    if
      block
        local.get 0
        i32.const 1
        i32.eq
        br_if 0
        ${units(w2)}
      end
      ${units(w1)}
    end
    ${units(w3)}
    i32.const 7))`;

/** The code section's first function body. */
function firstBody(module: Uint8Array): Uint8Array {
  const code = readSections(module).find((s) => s.id === 10)!;
  const r = new ByteReader(module, code.payloadStart, code.end);
  r.u32(); // count
  const size = r.u32();
  return module.subarray(r.pos, r.pos + size);
}

describe("charge and refund amounts", () => {
  it("are written in their minimal LEB128 encoding", async () => {
    const out = instrumentModule(await wat(program(8124, 64, 0)));
    const unit = [0x41, 0x00, 0x1a];
    const expected = [
      ...[0x01, 0x01, 0x7e], // locals: the fuel local (1), an i64
      ...[0x23, 0x00, 0x42, 0x03, 0x7d, 0x21, 0x01], // entry: global.get, charge 3, local.set
      ...[0x20, 0x00, 0x04, 0x40], // local.get 0  if
      ...[0x20, 0x01, 0x42, 0x80, 0xc0, 0x00, 0x7d, 0x21, 0x01], // the region's charge: 8192 in 3 bytes
      ...[0x02, 0x40, 0x20, 0x00, 0x41, 0x01, 0x46], // block  local.get 0  i32.const 1  i32.eq
      ...[0x04, 0x40, 0x20, 0x01, 0x42, 0xc0, 0x00, 0x7c, 0x21, 0x01, 0x0c, 0x01, 0x0b], // br_if 0, refunding 64 in 2 bytes
      ...Array.from({ length: 64 }, () => unit).flat(),
      0x0b, // end (block)
      ...Array.from({ length: 8124 }, () => unit).flat(),
      0x0b, // end (if)
      ...[0x41, 0x07, 0x20, 0x01, 0x24, 0x00, 0x0b], // i32.const 7, store, end
    ];
    expect([...firstBody(out.bytes)]).toEqual(expected);
  });

  it("charge exactly what runs where they cross a byte boundary", async () => {
    const width = fc.constantFrom(0, 1, 62, 63, 64, 65, 8126, 8127, 8128, 8190, 8191, 8192, 8193);
    await fc.assert(
      fc.asyncProperty(width, width, width, fc.constantFrom(0, 1, 2), async (w1, w2, w3, arg) => {
        const m = await meterWat(program(w1, w2, w3));
        // Entry: local.get, if, w3, i32.const. Taken if: block's 4 operators (local.get,
        // i32.const, i32.eq, br_if), w2 unless the branch is taken (arg 1), then w1.
        const inside = arg === 0 ? 0 : 4 + (arg === 1 ? 0 : w2) + w1;
        expect(m.call("f", [arg], 10_000_000n)).toEqual({ value: 7, used: BigInt(3 + w3 + inside) });
      }),
      { numRuns: 60 },
    );
  });
});
