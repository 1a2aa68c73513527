import { parse } from "@bytecodealliance/jco";
import { describe, expect, it } from "vitest";
import { checkModule, DEFAULT_MODULE_LIMITS, DEFERRED_START_EXPORT, type CheckContext } from "./module-check.js";

const ctx: CheckContext = {
  wasiFunctions: new Set(["fd_write", "proc_exit"]),
  memoryBytes: 16 * 1024 * 1024,
  limits: { ...DEFAULT_MODULE_LIMITS, maxTableElements: 50 },
};

describe("checkModule", () => {
  it("tightens a table without a maximum to the element cap, and the result still validates", async () => {
    const bytes = await parse('(module (table $t 3 funcref) (func (export "_start")) (func (export "size") (result i32) (table.size $t)))');
    const checked = checkModule(bytes, ctx);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.bytes).not.toEqual(bytes);
    const module = new WebAssembly.Module(new Uint8Array(checked.bytes));
    const instance = new WebAssembly.Instance(module, {});
    expect((instance.exports.size as () => number)()).toBe(3);
    // The rewritten maximum is visible to the host through a table export of the same shape.
    const withExport = checkModule(await parse('(module (table (export "t") 3 funcref) (func (export "_start")))'), ctx);
    if (!withExport.ok) throw new Error("refused");
    const table = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(withExport.bytes)), {}).exports.t as WebAssembly.Table;
    expect(() => table.grow(48)).toThrow(RangeError);
    expect(table.grow(47)).toBe(3);
  });

  it("leaves a table whose maximum is under the cap untouched", async () => {
    const bytes = await parse('(module (table 1 10 funcref) (func (export "_start")))');
    const checked = checkModule(bytes, ctx);
    expect(checked.ok && checked.bytes).toEqual(bytes);
  });

  it("refuses a table that starts over the cap", async () => {
    const checked = checkModule(await parse('(module (table 51 funcref) (func (export "_start")))'), ctx);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problems.join()).toContain("table 0 starts with 51 elements; at most 50");
  });

  it("accepts an imported memory under any name and allowed WASI functions", async () => {
    const checked = checkModule(
      await parse('(module (import "env" "memory" (memory 1)) (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32))) (func (export "_start")))'),
      ctx,
    );
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(checked.imports.map((i) => `${i.module}.${i.name}`)).toEqual(["env.memory", "wasi_snapshot_preview1.fd_write"]);
  });

  it("refuses WASI functions the host does not implement and non-function imports", async () => {
    const checked = checkModule(
      await parse('(module (import "wasi_snapshot_preview1" "sock_accept" (func)) (import "env" "g" (global i32)) (func (export "_start")))'),
      ctx,
    );
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.problems[0]).toContain("wasi_snapshot_preview1.sock_accept (function)");
      expect(checked.problems[0]).toContain("env.g (global)");
    }
  });

  it("defers a start function to an export, so it runs on the run's budget", async () => {
    const checked = checkModule(await parse('(module (table 2 funcref) (func $init) (start $init) (func (export "_start")))'), ctx);
    if (!checked.ok) throw new Error(checked.problems.join());
    const module = new WebAssembly.Module(new Uint8Array(checked.bytes));
    expect(WebAssembly.Module.exports(module).map((e) => e.name)).toEqual(["_start", DEFERRED_START_EXPORT]);
  });

  it("refuses a module that exports the reserved deferred-start name itself", async () => {
    const checked = checkModule(await parse(`(module (func (export "_start")) (func (export "${DEFERRED_START_EXPORT}")))`), ctx);
    expect(checked.ok).toBe(false);
  });

  it("refuses modules over the type, function and global caps, naming each", async () => {
    const many = (n: number, form: (i: number) => string): string => Array.from({ length: n }, (_, i) => form(i)).join(" ");
    const limits = { ...ctx.limits, maxTypes: 10, maxFunctions: 10, maxGlobals: 10 };
    const text = `(module ${many(11, (i) => `(type (func (param ${"i32 ".repeat(i)})))`)} ${many(10, () => "(func)")} ${many(11, (i) => `(global i32 (i32.const ${i}))`)} (func (export "_start")))`;
    const checked = checkModule(await parse(text), { ...ctx, limits });
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.problems).toContain("the module declares 11 types; at most 10 are allowed");
      expect(checked.problems).toContain("the module has 11 functions; at most 10 are allowed");
      expect(checked.problems).toContain("the module has 11 globals; at most 10 are allowed");
    }
  });

  it("reports a truncated section as a malformed module", async () => {
    const bytes = await parse('(module (func (export "_start")))');
    const checked = checkModule(bytes.subarray(0, bytes.length - 2), ctx);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problems[0]).toMatch(/^malformed module: the code section declares \d+ bytes but only \d+ remain/);
  });

  it("refuses bytes that are not a module", () => {
    const checked = checkModule(new TextEncoder().encode("not wasm at all"), ctx);
    expect(checked.ok).toBe(false);
  });
});
