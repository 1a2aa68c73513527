import { describe, expect, it } from "vitest";
import { ByteReader } from "../wasm-binary/byte-reader.js";
import { readSections } from "../wasm-binary/module-sections.js";
import { meterWat } from "./test-support.js";

/**
 * Fuel code the meter leaves out because it could not change anything: a refund of 0
 * (the `br_if` stays as it was) and the reload of the fuel local after a call when the
 * local is not read before the next call or exit (segment-patches.ts). Same fuel, same
 * global at every call and exit.
 */

/** Body `index` of the code section (the fuel local is the first local after the function's own). */
function body(module: Uint8Array, index: number): number[] {
  const code = readSections(module).find((s) => s.id === 10)!;
  const r = new ByteReader(module, code.payloadStart, code.end);
  r.u32();
  for (let i = 0; i < index; i++) {
    const size = r.u32();
    r.pos += size;
  }
  const size = r.u32();
  return [...module.subarray(r.pos, r.pos + size)];
}

describe("fuel code left out", () => {
  it("keeps a forward br_if that skips nothing costing fuel a plain br_if", async () => {
    const m = await meterWat(`(module (func (export "f") (param i32) (result i32)
      block local.get 0 br_if 0 nop end
      i32.const 7))`);
    expect(body(m.result.bytes, 0)).toEqual([
      ...[0x01, 0x01, 0x7e], // the fuel local (1)
      ...[0x23, 0x00, 0x42, 0x03, 0x7d, 0x21, 0x01], // entry: charge 3 (local.get, br_if, i32.const)
      ...[0x02, 0x40, 0x20, 0x00, 0x0d, 0x00, 0x01, 0x0b], // block local.get 0 br_if 0 nop end
      ...[0x41, 0x07, 0x20, 0x01, 0x24, 0x00, 0x0b], // i32.const 7, store, end
    ]);
    expect(m.call("f", [0])).toEqual({ value: 7, used: 3n });
    expect(m.call("f", [1])).toEqual({ value: 7, used: 3n });
  });

  it("stores once and reloads only where the local is read again", async () => {
    const m = await meterWat(`(module
      (func $g i32.const 1 drop)
      (func (export "f") (param i32) (result i32)
        call $g call $g
        local.get 0
        if call $g call $g end
        block call $g local.get 0 br_if 0 call $g end
        call $g
        i32.const 5 return))`);
    const store = [0x20, 0x01, 0x24, 0x00];
    const reload = [0x23, 0x00, 0x21, 0x01];
    const call = [0x10, 0x00];
    expect(body(m.result.bytes, 1)).toEqual([
      ...[0x01, 0x01, 0x7e],
      ...[0x23, 0x00, 0x42, 0x0a, 0x7d, 0x22, 0x01, 0x42, 0x00, 0x53, 0x04, 0x40, ...store, 0x00, 0x0b], // entry: charge 10, check
      ...store, ...call, ...call, ...reload, // the first reload is dead (a call next), the second call's store redundant
      ...[0x20, 0x00, 0x04, 0x40], // local.get 0  if
      ...[0x20, 0x01, 0x42, 0x02, 0x7d, 0x21, 0x01], // the if's charge
      ...store, ...call, ...call, ...reload, 0x0b, // end: the code after it may read the local
      ...[0x02, 0x40, ...store, ...call, ...reload], // block call: the br_if reads the local (its refund)
      ...[0x20, 0x00, 0x04, 0x40, 0x20, 0x01, 0x42, 0x01, 0x7c, 0x21, 0x01, 0x0c, 0x01, 0x0b],
      ...call, ...reload, 0x0b, // the block's end
      ...store, ...call, 0x41, 0x05, 0x0f, // call, i32.const 5, return: the local is dead after the call
      ...store, 0x0b, // the final end, in dead code
    ]);
    // Entry 10 (the if's end and the block's end are charged ahead) + g: 5 calls, or 6
    // and the if's 2, less the refund of 1 when the br_if is taken.
    expect(m.call("f", [0])).toEqual({ value: 5, used: 15n });
    expect(m.call("f", [1])).toEqual({ value: 5, used: 17n });
  });

  it("keeps the global exact for an exception from the second of two calls, caught in the caller", async () => {
    const seen: bigint[] = [];
    const m = await meterWat(
      `(module (import "host" "see" (func $see))
        (tag $e)
        (func $g i32.const 1 drop i32.const 2 drop)
        (func $thrower call $see throw $e)
        (func (export "f") (result i32)
          try (result i32)
            call $g call $thrower i32.const 0
          catch $e
            call $g call $see i32.const 9
          end))`,
      { imports: { host: { see: () => seen.push((m.instance.exports["__llm_fuel"] as WebAssembly.Global).value as bigint) } } },
    );
    // f: call call i32.const (3) | g (2) | thrower: call throw (2) | handler: call call i32.const (3) | g (2)
    expect(m.call("f", [], 1000n)).toEqual({ value: 9, used: 12n });
    expect(seen).toEqual([1000n - 3n - 2n - 2n, 1000n - 12n]);
  });
});
