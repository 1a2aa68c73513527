import { describe, expect, it } from "vitest";
import { INITIAL_FUEL, instrumentModule } from "./instrument-module.js";
import { meterWat, wat } from "./test-support.js";

describe("fuel counts", () => {
  it("charges one unit per operator in straight-line code, end free", async () => {
    const m = await meterWat(`(module (func (export "f") (result i32) i32.const 1 i32.const 2 i32.add))`);
    expect(m.call("f")).toEqual({ value: 3, used: 3n });
  });

  it("does not charge nop and drop", async () => {
    const m = await meterWat(`(module (func (export "f") nop i32.const 1 drop nop))`);
    expect(m.call("f").used).toBe(1n);
  });

  it("charges a loop body once per iteration (n iterations cost n x body)", async () => {
    const m = await meterWat(`(module (func (export "f") (param $n i32) (local $i i32)
      (loop $l
        local.get $i i32.const 1 i32.add local.tee $i
        local.get $n i32.lt_u br_if $l)))`);
    // Body: local.get i32.const i32.add local.tee local.get i32.lt_u br_if = 7.
    for (const n of [1, 10, 137]) expect(m.call("f", [n]).used).toBe(BigInt(7 * n));
  });

  it("charges only the arm of if/else that runs", async () => {
    const m = await meterWat(`(module (func (export "f") (param i32) (result i32)
      local.get 0
      (if (result i32) (then i32.const 10) (else i32.const 20 i32.const 1 i32.add))))`);
    expect(m.call("f", [1])).toEqual({ value: 10, used: 3n }); // local.get if | i32.const
    expect(m.call("f", [0])).toEqual({ value: 21, used: 5n }); // local.get if | 3 ops
  });

  it("charges the code after br_if only when the branch is not taken", async () => {
    const m = await meterWat(`(module (func (export "f") (param i32)
      (block $b local.get 0 br_if $b i32.const 1 drop i32.const 2 drop)))`);
    expect(m.call("f", [1]).used).toBe(2n);
    expect(m.call("f", [0]).used).toBe(4n);
  });

  it("refunds the rest of the segment when a forward br_if is taken, through nested blocks", async () => {
    // One segment from the entry to the end of $outer: both br_ifs stay inside it (no
    // values, forward), each taken branch gets back exactly the operators it skips.
    const m = await meterWat(`(module (func (export "f") (param i32 i32) (result i32) (local $r i32)
      (block $outer
        (block $inner
          local.get 0 br_if $inner
          i32.const 1 local.set $r
          local.get 1 br_if $outer
          i32.const 2 local.set $r)
        i32.const 3 local.set $r)
      local.get $r))`);
    expect(m.result.stats.refundedBranches).toBe(2);
    // taken to $inner: get br_if | $inner end: const set | get
    expect(m.call("f", [1, 0])).toEqual({ value: 3, used: 5n });
    // not taken, then taken to $outer: get br_if const set get br_if | get
    expect(m.call("f", [0, 1])).toEqual({ value: 1, used: 7n });
    // neither taken: 8 in the merged segment | $inner end: const set | get
    expect(m.call("f", [0, 0])).toEqual({ value: 3, used: 11n });
  });

  it("keeps br_if to a loop or to a label with values a segment boundary", async () => {
    const m = await meterWat(`(module (func (export "f") (param i32) (result i32)
      (block $b (result i32)
        i32.const 7 local.get 0 br_if $b drop
        i32.const 8)))`);
    expect(m.result.stats.refundedBranches).toBe(0);
    expect(m.call("f", [1])).toEqual({ value: 7, used: 3n });
    expect(m.call("f", [0])).toEqual({ value: 8, used: 4n });
  });

  it("still stops a loop whose body holds forward br_ifs", async () => {
    const m = await meterWat(`(module (func (export "f") (param i32)
      (loop $l
        (block $skip local.get 0 br_if $skip i32.const 1 drop)
        br $l)))`);
    expect(m.result.stats.refundedBranches).toBe(1);
    expect(() => m.call("f", [1], 1000n)).toThrow(WebAssembly.RuntimeError);
    expect(m.fuel()).toBeLessThan(0n);
  });

  it("charges each br_table target path exactly", async () => {
    const m = await meterWat(`(module (func (export "f") (param i32) (result i32) (local $r i32)
      (block $a
        (block $b
          (block $c
            local.get 0
            br_table $c $b $a)
          i32.const 1 local.set $r
          br $a)
        i32.const 2 local.set $r)
      local.get $r))`);
    expect(m.call("f", [0])).toEqual({ value: 1, used: 6n });
    expect(m.call("f", [1])).toEqual({ value: 2, used: 5n });
    expect(m.call("f", [2])).toEqual({ value: 0, used: 3n });
    expect(m.call("f", [99])).toEqual({ value: 0, used: 3n });
  });

  it("charges callee and caller, and keeps the global exact across calls", async () => {
    const m = await meterWat(`(module
      (func $g (result i32) i32.const 5)
      (func (export "f") (result i32) call $g i32.const 1 i32.add))`);
    expect(m.call("f")).toEqual({ value: 6, used: 4n });
  });

  it("charges host-reentrant calls through imports", async () => {
    const hook: { inner?: () => unknown } = {};
    const m = await meterWat(
      `(module (import "host" "cb" (func $cb))
        (func (export "leaf") i32.const 1 drop i32.const 2 drop)
        (func (export "f") call $cb i32.const 3 drop))`,
      { imports: { host: { cb: () => hook.inner?.() } } },
    );
    hook.inner = m.instance.exports["leaf"] as () => unknown;
    // f: call + i32.const = 2; leaf (run by the host in the middle of f) = 2.
    expect(m.call("f").used).toBe(4n);
  });

  it("keeps the global exact across back-to-back calls and host re-entry in one block", async () => {
    const hook: { inner?: () => unknown; seen: bigint[] } = { seen: [] };
    const m = await meterWat(
      `(module (import "host" "cb" (func $cb))
        (func $g i32.const 1 drop i32.const 2 drop i32.const 3 drop)
        (func (export "leaf") i32.const 1 drop)
        (func (export "f") call $g call $cb call $g call $cb return))`,
      {
        imports: {
          host: {
            cb: () => {
              hook.seen.push((m.instance.exports["__llm_fuel"] as WebAssembly.Global).value as bigint);
              hook.inner?.();
            },
          },
        },
      },
    );
    hook.inner = m.instance.exports["leaf"] as () => unknown;
    // f: 4 calls charged on entry (4); g: 3 each (6); leaf: 1 each (2).
    expect(m.call("f", [], 1000n).used).toBe(12n);
    // What the host saw at each import call: everything charged so far was in the global.
    expect(hook.seen).toEqual([1000n - 4n - 3n, 1000n - 4n - 3n - 1n - 3n]);
  });

  it("traps an infinite loop (loop br 0) with fuel below zero", async () => {
    const m = await meterWat(`(module (func (export "spin") (loop $l br $l)))`);
    expect(() => m.call("spin", [], 1000n)).toThrow(WebAssembly.RuntimeError);
    // Each iteration costs 1 (br); the 1001st leaves -1 and the header check traps.
    expect(m.fuel()).toBe(-1n);
  });

  it("traps unbounded recursion at function entry with fuel below zero", async () => {
    const m = await meterWat(`(module (func $r (export "rec") call $r))`);
    expect(() => m.call("rec", [], 100n)).toThrow(/unreachable/);
    expect(m.fuel()).toBe(-1n);
  });

  it("traps unbounded tail recursion (return_call)", async () => {
    const m = await meterWat(`(module (func $r (export "rec") (param i32) local.get 0 return_call $r))`);
    expect(() => m.call("rec", [1], 5000n)).toThrow(WebAssembly.RuntimeError);
    expect(m.fuel()).toBeLessThan(0n);
  });

  it("runs to completion within the budget without trapping", async () => {
    const m = await meterWat(`(module (func (export "f") (param $n i32)
      (loop $l local.get $n i32.const 1 i32.sub local.tee $n br_if $l)))`);
    const { used } = m.call("f", [100], 500n); // 5 per iteration
    expect(used).toBe(500n);
    expect(m.fuel()).toBe(0n);
    expect(() => m.call("f", [101], 500n)).toThrow(WebAssembly.RuntimeError);
  });

  it("is deterministic: same module and input use the same fuel", async () => {
    const text = `(module (func $fib (export "fib") (param i32) (result i32)
      local.get 0 i32.const 2 i32.lt_u
      (if (result i32) (then local.get 0)
        (else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add))))`;
    const a = await meterWat(text);
    const b = await meterWat(text);
    const runA = a.call("fib", [15]);
    expect(runA.value).toBe(610);
    expect(a.call("fib", [15]).used).toBe(runA.used);
    expect(b.call("fib", [15]).used).toBe(runA.used);
    expect(Buffer.from(a.result.bytes).equals(Buffer.from(b.result.bytes))).toBe(true);
  });
});

describe("exceptions and tail calls", () => {
  it("meters legacy try/catch/throw/rethrow/delegate/catch_all and reloads fuel in handlers", async () => {
    const m = await meterWat(`(module
      (tag $e (param i32))
      (func $thrower (param i32) local.get 0 throw $e)
      (func (export "f") (result i32)
        try (result i32)
          try (result i32)
            i32.const 7 call $thrower i32.const 0
          catch $e
            rethrow 0
          end
        catch $e
          i32.const 1 i32.add
        catch_all
          i32.const -1
        end)
      (func (export "g") (result i32)
        try (result i32)
          try i32.const 3 call $thrower delegate 0
          i32.const 0
        catch_all
          i32.const 42
        end))`);
    // f: i32.const call i32.const (3, charged on entry even though the call throws)
    //    | thrower: local.get throw (2) | inner catch: rethrow (1)
    //    | outer catch: i32.const i32.add (2)
    expect(m.call("f")).toEqual({ value: 8, used: 8n });
    // g: i32.const call (2) | thrower (2) | catch_all: i32.const (1)
    expect(m.call("g")).toEqual({ value: 42, used: 5n });
  });

  it("meters return_call_indirect and call_indirect", async () => {
    const m = await meterWat(`(module
      (type $t (func (result i32)))
      (table 2 funcref)
      (elem (i32.const 0) $a $b)
      (func $a (result i32) i32.const 11)
      (func $b (result i32) i32.const 0 return_call_indirect (type $t))
      (func (export "f") (result i32) i32.const 1 call_indirect (type $t)))`);
    // f: 2 | b: 2 | a: 1
    expect(m.call("f")).toEqual({ value: 11, used: 5n });
  });

  it("gives a start function a bounded allowance (INITIAL_FUEL) before the host sets the budget", async () => {
    const bytes = await wat(`(module
      (global $g (export "g") (mut i32) (i32.const 0))
      (func $init (loop $l global.get $g i32.const 1 i32.add global.set $g global.get $g i32.const 1000 i32.lt_u br_if $l))
      (start $init))`);
    const res = instrumentModule(bytes);
    const memory = new WebAssembly.Memory({ initial: 0 });
    const { instance } = await WebAssembly.instantiate(res.bytes, { env: { memory } });
    expect((instance.exports["g"] as WebAssembly.Global).value).toBe(1000);
    // 1000 iterations x 8 operators, charged against the initial allowance.
    expect((instance.exports["__llm_fuel"] as WebAssembly.Global).value).toBe(BigInt(INITIAL_FUEL) - 8000n);
  });

  it("stops a start function that never ends, at instantiation", async () => {
    const bytes = await wat(`(module (func $init (loop $l br $l)) (start $init))`);
    const res = instrumentModule(bytes);
    await expect(WebAssembly.instantiate(res.bytes, { env: { memory: new WebAssembly.Memory({ initial: 0 }) } })).rejects.toThrow(
      WebAssembly.RuntimeError,
    );
  });
});
