/**
 * The Python image's `GOT.func` slots become defined zero globals: no import is left, every
 * global keeps its index, and a module whose imported globals are not all slots is refused.
 */
import { readFileSync } from "node:fs";
import { concatBytes, encodeULEB128 } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import { describe, expect, it } from "vitest";
import { defineGotGlobals } from "../src/image/define-got-globals.js";
import { ExportFilterError } from "../src/image/export-filter.js";
import { pyodideFile } from "../src/image/pyodide-image.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const name = (s: string): Uint8Array => concatBytes([encodeULEB128(utf8(s).length), utf8(s)]);
const vec = (items: readonly Uint8Array[]): Uint8Array => concatBytes([encodeULEB128(items.length), ...items]);
const section = (id: number, payload: Uint8Array): Uint8Array => concatBytes([Uint8Array.of(id), encodeULEB128(payload.length), payload]);

/** An import of a `(mut i32)` global. */
const globalImport = (module: string, field: string): Uint8Array => concatBytes([name(module), name(field), Uint8Array.of(0x03, 0x7f, 0x01)]);

/**
 * A module importing `imports` (globals), defining one global (42) and exporting
 * `own` (reads the defined global, index = number of imports) and `slot` (reads global 0).
 */
function module(imports: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  // Size 4: no locals, global.get <global>, end.
  const body = (global: number): Uint8Array => Uint8Array.of(4, 0x00, 0x23, global, 0x0b);
  const exportFunc = (field: string, index: number): Uint8Array => concatBytes([name(field), Uint8Array.of(0x00, index)]);
  return concatBytes([
    Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00),
    section(1, vec([Uint8Array.of(0x60, 0x00, 0x01, 0x7f)])),
    section(2, vec(imports)),
    section(3, vec([Uint8Array.of(0), Uint8Array.of(0)])),
    section(6, vec([Uint8Array.of(0x7f, 0x00, 0x41, 42, 0x0b)])),
    section(7, vec([exportFunc("own", 0), exportFunc("slot", 1)])),
    section(10, vec([body(imports.length), body(0)])),
  ]);
}

describe("defineGotGlobals", () => {
  it("defines the slots as zero globals at the same indices", async () => {
    const rewritten = defineGotGlobals(module([globalImport("GOT.func", "a"), globalImport("GOT.func", "b")]));
    const compiled = await WebAssembly.compile(rewritten as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.imports(compiled)).toEqual([]);
    const { exports } = await WebAssembly.instantiate(compiled, {});
    expect((exports.own as () => number)()).toBe(42);
    expect((exports.slot as () => number)()).toBe(0);
  });

  it("refuses a module that imports a global other than a GOT.func slot (its index would move)", () => {
    expect(() => defineGotGlobals(module([globalImport("GOT.func", "a"), globalImport("env", "__memory_base")]))).toThrow(ExportFilterError);
  });

  it("returns a module without slots unchanged", () => {
    const plain = module([]);
    expect(defineGotGlobals(plain)).toBe(plain);
  });

  it("leaves pyodide.asm.wasm with no GOT.func import and compiles", async () => {
    const original = new Uint8Array(readFileSync(pyodideFile("pyodide.asm.wasm")));
    const before = WebAssembly.Module.imports(await WebAssembly.compile(original));
    const after = WebAssembly.Module.imports(await WebAssembly.compile(defineGotGlobals(original) as Uint8Array<ArrayBuffer>));
    expect(before.filter((i) => i.module === "GOT.func").length).toBeGreaterThan(0);
    expect(after.filter((i) => i.module === "GOT.func")).toEqual([]);
    expect(after).toEqual(before.filter((i) => i.module !== "GOT.func"));
  }, 60_000);
});
