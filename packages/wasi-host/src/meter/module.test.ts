import { describe, expect, it } from "vitest";
import { instrumentModule } from "./instrument-module.js";
import { MeterError } from "./meter-error.js";
import { meterWat, wat, withCustomSection } from "./test-support.js";

describe("memory becomes an import", () => {
  it("turns the defined memory into env.memory and keeps the memory export", async () => {
    const m = await meterWat(`(module (memory (export "memory") 2 7)
      (func (export "load") (result i32) i32.const 0 i32.load)
      (data (i32.const 0) "\\2a"))`);
    expect(m.result.memory).toEqual({ module: "env", name: "memory", initialPages: 2, maximumPages: 7 });
    expect(m.instance.exports["memory"]).toBe(m.memory);
    expect(m.call("load").value).toBe(42);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(m.result.bytes));
    expect(imports).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
  });

  it("keeps an existing memory import and reports its name", async () => {
    const m = await meterWat(`(module (import "a" "b" (memory 3)) (func (export "size") (result i32) memory.size))`);
    expect(m.result.memory).toEqual({ module: "a", name: "b", initialPages: 3, maximumPages: null });
    expect(m.call("size").value).toBe(3);
  });

  it("gives a module without memory an env.memory import of 0 pages, so hosts stay uniform", async () => {
    const m = await meterWat(`(module (func (export "f") (result i32) i32.const 9))`);
    expect(m.result.memory).toEqual({ module: "env", name: "memory", initialPages: 0, maximumPages: null });
    expect(m.call("f").value).toBe(9);
  });

  it("sets __llm_grow_failed when memory.grow goes past the host's maximum", async () => {
    const m = await meterWat(
      `(module (memory 1) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))`,
      { maxPages: 3 },
    );
    expect(m.call("grow", [1]).value).toBe(1);
    expect(m.growFailed()).toBe(0);
    expect(m.call("grow", [5]).value).toBe(-1);
    expect(m.growFailed()).toBe(1);
    expect(m.memory.buffer.byteLength).toBe(2 * 65536);
    expect(m.result.stats.growSites).toBe(1);
  });

  it("adds no function or global imports, so existing indices do not move", async () => {
    const bytes = await wat(`(module (import "h" "f" (func)) (global (mut i32) (i32.const 1))
      (memory 1) (func (export "g") (result i32) global.get 0))`);
    const out = instrumentModule(bytes).bytes;
    const mod = new WebAssembly.Module(out);
    expect(WebAssembly.Module.imports(mod).map((i) => i.kind)).toEqual(["function", "memory"]);
    expect(WebAssembly.Module.exports(mod).map((e) => e.name)).toEqual(["g", "__llm_fuel", "__llm_grow_failed"]);
  });
});

describe("options and stripping", () => {
  it("exports defined mutable globals when exportMutableGlobals is set", async () => {
    const text = `(module (import "h" "g" (global i32))
      (global (mut i32) (i32.const 7)) (global i32 (i32.const 1)) (global (mut i64) (i64.const 9)))`;
    const off = await meterWat(text, { imports: { h: { g: 0 } } });
    expect(off.result.mutableGlobalExports).toEqual([]);
    const on = await meterWat(text, { exportMutableGlobals: true, imports: { h: { g: 0 } } });
    expect(on.result.mutableGlobalExports).toEqual(["__llm_global_1", "__llm_global_3"]);
    expect((on.instance.exports["__llm_global_1"] as WebAssembly.Global).value).toBe(7);
    expect((on.instance.exports["__llm_global_3"] as WebAssembly.Global).value).toBe(9n);
  });

  it("strips debug custom sections, keeps name, and reports the bytes removed", async () => {
    const base = await wat(`(module (func $named (export "f")))`);
    let bytes = withCustomSection(base, ".debug_info", 1000);
    bytes = withCustomSection(bytes, "sourceMappingURL", 10);
    bytes = withCustomSection(bytes, "producers", 5);
    const res = instrumentModule(bytes);
    expect(res.strippedBytes).toBe(1000 + 1 + 11 + 2 + 2 + 10 + 1 + 16 + 1);
    const mod = new WebAssembly.Module(res.bytes);
    expect(WebAssembly.Module.customSections(mod, ".debug_info")).toHaveLength(0);
    expect(WebAssembly.Module.customSections(mod, "producers")).toHaveLength(1);
    expect(WebAssembly.Module.customSections(mod, "name")).toHaveLength(1);
    const noNames = instrumentModule(bytes, { keepNameSection: false });
    expect(WebAssembly.Module.customSections(new WebAssembly.Module(noNames.bytes), "name")).toHaveLength(0);
  });

  it("keeps function names for trap stack traces", async () => {
    const m = await meterWat(`(module (func $explode_here (export "f") unreachable))`);
    let stack = "";
    try {
      m.call("f");
    } catch (e) {
      stack = (e as Error).stack ?? "";
    }
    expect(stack).toContain("explode_here");
  });

  it("refuses a module that already exports a reserved name", async () => {
    const bytes = await wat(`(module (global (export "__llm_fuel") i64 (i64.const 0)))`);
    expect(() => instrumentModule(bytes)).toThrow(/reserves/);
  });
});

describe("rejecting what it cannot meter", () => {
  it("rejects an unknown opcode with a message naming it, the function and the offset", async () => {
    const bytes = await wat(`(module (func nop) (func nop nop))`);
    // Replace the second function's first nop (0x01) with the unassigned opcode 0x27.
    const at = bytes.lastIndexOf(0x01) - 1;
    const patched = bytes.slice();
    patched[at] = 0x27;
    let err: unknown;
    try {
      instrumentModule(patched);
    } catch (e) {
      err = e;
    }
    expect(MeterError.isInstance(err)).toBe(true);
    const me = err as MeterError;
    expect(me.code).toBe("METER_REJECTED");
    expect(me.message).toContain("opcode 0x27");
    expect(me.message).toContain("function 1");
    expect(me.offset).toBe(at);
    expect(me.functionIndex).toBe(1);
  });

  it("rejects an unknown SIMD sub-opcode", async () => {
    // 0xfd 0x9a is a gap in the SIMD opcode space.
    const bytes = await wat(`(module (func unreachable i32.const 0 drop))`);
    const at = bytes.indexOf(0x41);
    const patched = Uint8Array.from([...bytes.subarray(0, at), 0xfd, 0x9a, 0x01, 0x0b]);
    // Same length as what it replaces ("41 00 1a 0b"), so no size needs fixing.
    expect(() => instrumentModule(patched)).toThrow(/opcode 0xfd 154/);
  });

  it("rejects a module that writes the fuel local by index (invalid before metering, valid after)", async () => {
    // (func (param i32) local.get 0 drop) with local.set 1 patched in: local 1 does not
    // exist, but after metering it would be the fuel local.
    const bytes = await wat(`(module (func (param i32) i64.const 9223372036854775807 local.set 0))`);
    const patched = bytes.slice();
    const at = patched.lastIndexOf(0x21); // local.set
    patched[at + 1] = 0x01;
    expect(WebAssembly.validate(patched)).toBe(false);
    expect(() => instrumentModule(patched)).toThrow(/not valid WebAssembly/);
  });

  it("rejects a module that writes the fuel global by index", () => {
    // (func i64.const 1 global.set 0) in a module with no globals: global 0 would be
    // __llm_fuel after metering.
    const bytes = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x08, 0x01, 0x06, 0x00, 0x42, 0x01, 0x24, 0x00, 0x0b,
    ]);
    expect(() => instrumentModule(bytes)).toThrow(/not valid WebAssembly/);
  });

  it("rejects truncated modules and non-wasm input", () => {
    expect(() => instrumentModule(new TextEncoder().encode("print('hi')"))).toThrow(MeterError);
    expect(() => instrumentModule(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 10, 50, 1))).toThrow(/truncated/);
  });
});

describe("SIMD", () => {
  it("parses and meters SIMD with memarg, lane and 16-byte immediates", async () => {
    const m = await meterWat(`(module (memory 1)
      (func (export "f") (result i32) (local $v v128)
        i32.const 16 v128.const i32x4 1 2 3 4 v128.store offset=0 align=16
        i32.const 16 v128.load
        v128.const i32x4 10 20 30 40 i32x4.add
        local.set $v
        i32.const 16 local.get $v v128.load32_lane offset=12 2
        local.get $v
        i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
        i32x4.extract_lane 2))`);
    const { value, used } = m.call("f");
    expect(value).toBe(4);
    expect(used).toBe(14n);
  });
});
