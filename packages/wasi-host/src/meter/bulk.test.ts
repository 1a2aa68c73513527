import { describe, expect, it } from "vitest";
import { BULK_MEMORY_SHIFT } from "./fuel-code.js";
import { meterWat } from "./test-support.js";

const PER_BYTE = 2 ** BULK_MEMORY_SHIFT;

// Each export takes the length as its parameter: local.get × 3 (or 2) + the op = its
// operator units; the length charge comes on top.
const BULK = `(module
  (memory (export "memory") 4)
  (data $d "0123456789abcdef0123456789abcdef")
  (table $t 64 funcref)
  (elem $e func $nop $nop $nop $nop $nop $nop $nop $nop)
  (func $nop)
  (func (export "fill") (param $n i32) (memory.fill (i32.const 0) (i32.const 7) (local.get $n)))
  (func (export "copy") (param $n i32) (memory.copy (i32.const 0) (i32.const 65536) (local.get $n)))
  (func (export "init") (param $n i32) (memory.init $d (i32.const 0) (i32.const 0) (local.get $n)))
  (func (export "tfill") (param $n i32) (table.fill $t (i32.const 0) (ref.null func) (local.get $n)))
  (func (export "tcopy") (param $n i32) (table.copy $t $t (i32.const 0) (i32.const 32) (local.get $n)))
  (func (export "tinit") (param $n i32) (table.init $t $e (i32.const 0) (i32.const 0) (local.get $n)))
  (func (export "tgrow") (param $n i32) (result i32) (table.grow $t (ref.null func) (local.get $n)))
  (func (export "fillLoop") (param $times i32) (param $n i32)
    (loop $l
      (memory.fill (i32.const 0) (i32.const 1) (local.get $n))
      (local.set $times (i32.sub (local.get $times) (i32.const 1)))
      (br_if $l (local.get $times)))))`;

describe("bulk operations are charged by their length", () => {
  it("charges memory.fill/copy/init one unit per 4 bytes on top of their operators", async () => {
    const m = await meterWat(BULK, { maxPages: 4 });
    for (const op of ["fill", "copy"]) {
      const base = m.call(op, [0]).used;
      expect(base).toBe(4n); // three operands + the operation
      for (const n of [1, 3, 4, 5, 4096, 65536]) expect(m.call(op, [n]).used).toBe(base + BigInt(Math.floor(n / PER_BYTE)));
    }
    expect(m.call("init", [32]).used).toBe(4n + 32n / BigInt(PER_BYTE));
  });

  it("charges table.fill/copy/init/grow one unit per element", async () => {
    const m = await meterWat(BULK);
    expect(m.call("tfill", [10]).used).toBe(4n + 10n);
    expect(m.call("tcopy", [20]).used).toBe(4n + 20n);
    expect(m.call("tinit", [8]).used).toBe(4n + 8n);
    const grow = m.call("tgrow", [100]);
    expect(grow.value).toBe(64);
    expect(grow.used).toBe(3n + 100n);
  });

  it("checks before the operation runs: a fill the budget cannot pay for traps and writes nothing", async () => {
    const m = await meterWat(BULK, { maxPages: 4 });
    const bytes = new Uint8Array(m.memory.buffer);
    bytes.fill(0);
    expect(() => m.call("fill", [65536], 1000n)).toThrow(WebAssembly.RuntimeError);
    expect(m.fuel()).toBeLessThan(0n);
    expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it("stops a loop of large fills with fuel below zero, after the number of fills the budget pays for", async () => {
    const m = await meterWat(BULK, { maxPages: 4 });
    const n = 65536;
    const perIteration = BigInt(n / PER_BYTE);
    const budget = perIteration * 100n;
    expect(() => m.call("fillLoop", [1_000_000, n], budget)).toThrow(WebAssembly.RuntimeError);
    expect(m.fuel()).toBeLessThan(0n);
    // Without the length charge the same loop cost ~10 units per iteration: 1M fills.
    expect(m.call("fillLoop", [10, n], 10n ** 12n).used).toBeGreaterThanOrEqual(10n * perIteration);
  });

  it("still traps out-of-bounds bulk operations as the engine does", async () => {
    const m = await meterWat(BULK, { maxPages: 4 });
    expect(() => m.call("copy", [4 * 65536])).toThrow(/out of bounds/);
  });
});
