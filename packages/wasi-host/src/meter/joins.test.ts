import { describe, expect, it } from "vitest";
import { meterWat } from "./test-support.js";

/**
 * "Joins charged ahead" (instrument-function.ts): the code after the end of an if or a
 * targeted block is paid by the charge before that block when every path through the
 * block reaches its end — exact on every path, with fewer charges.
 */
describe("joins charged ahead", () => {
  it("charges the code after an if with the code before it, exactly on both paths", async () => {
    const m = await meterWat(`(module (func (export "f") (param i32) (result i32) (local $r i32)
      local.get 0
      (if (then i32.const 5 local.set $r))
      local.get $r i32.const 1 i32.add))`);
    expect(m.result.stats.mergedJoins).toBe(1);
    expect(m.result.stats.charges).toBe(2); // the entry's (with the join) and the arm's
    expect(m.call("f", [1])).toEqual({ value: 6, used: 7n }); // local.get if | const set | get const add
    expect(m.call("f", [0])).toEqual({ value: 1, used: 5n });
  });

  it("refunds a joined segment to a br_if that skips it, but not to one that lands before it", async () => {
    const m = await meterWat(`(module (func (export "f") (param i32 i32) (result i32) (local $r i32)
      (block $b
        local.get 0 br_if $b
        local.get 1
        (if (then i32.const 1 local.set $r))
        i32.const 2 local.get $r i32.add local.set $r)
      local.get $r))`);
    expect(m.result.stats.mergedJoins).toBe(2); // after the if, after $b
    // br_if taken: get br_if | (after $b) get
    expect(m.call("f", [1, 1])).toEqual({ value: 0, used: 3n });
    // not taken, arm runs: get br_if get if | const set | const get add set | get
    expect(m.call("f", [0, 1])).toEqual({ value: 3, used: 11n });
    expect(m.call("f", [0, 0])).toEqual({ value: 2, used: 9n });
  });

  it("keeps its own charge after an if that an arm leaves by return, br or br_table", async () => {
    // [arm, joins merged (only the one after $out, when the arm branches to it), fuel when the arm runs]
    const cases: [string, number, { value: number; used: bigint }][] = [
      ["i32.const 7 return", 0, { value: 7, used: 3n }], // local.get if | const return
      ["br $out", 1, { value: 2, used: 4n }], // local.get if (+ const after $out) | br
      ["i32.const 0 br_table $out $out", 1, { value: 2, used: 5n }],
    ];
    for (const [leave, merged, taken] of cases) {
      const m = await meterWat(`(module (func (export "f") (param i32) (result i32)
        (block $out
          local.get 0
          (if (then ${leave}))
          i32.const 1 drop)
        i32.const 2))`);
      expect(m.result.stats.mergedJoins, leave).toBe(merged);
      expect(m.call("f", [0]), leave).toEqual({ value: 2, used: 4n }); // local.get if | const | const
      expect(m.call("f", [1]), leave).toEqual(taken);
    }
  });

  it("keeps its own charge after an if inside a try (an exception caught here would skip it)", async () => {
    const m = await meterWat(`(module
      (tag $e)
      (func $boom (param i32) local.get 0 if throw $e end)
      (func (export "f") (param i32) (result i32) (local $r i32)
        try
          local.get 0
          (if (then local.get 0 call $boom))
          i32.const 5 local.set $r
        catch_all
          i32.const 9 local.set $r
        end
        local.get $r))`);
    expect(m.call("f", [0])).toEqual({ value: 5, used: 5n }); // get if | const set | get
    // get if | get call | boom: get if | throw | catch_all: const set | get (the skipped const set is not charged)
    expect(m.call("f", [1])).toEqual({ value: 9, used: 10n });
  });

  it("lets a loop header pay for the joins in its body, and still stops the loop", async () => {
    const m = await meterWat(`(module
      (func (export "f") (param $n i32) (result i32) (local $i i32) (local $s i32)
        (loop $l
          local.get $i i32.const 1 i32.and
          (if (then local.get $s i32.const 1 i32.add local.set $s))
          local.get $i i32.const 1 i32.add local.tee $i
          local.get $n i32.lt_u br_if $l)
        local.get $s)
      (func (export "spin") (loop $l i32.const 1 (if (then nop)) br $l)))`);
    expect(m.result.stats.mergedJoins).toBe(2);
    // Per iteration: header 4 + join 7; the arm (4) on odd i; then local.get.
    for (const n of [1, 2, 9, 100]) expect(m.call("f", [n])).toEqual({ value: Math.floor(n / 2), used: BigInt(11 * n + 4 * Math.floor(n / 2) + 1) });
    expect(() => m.call("spin", [], 10_000n)).toThrow(WebAssembly.RuntimeError);
    expect(m.fuel()).toBeLessThan(0n);
  });
});
