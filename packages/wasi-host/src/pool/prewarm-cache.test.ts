import { parse } from "@bytecodealliance/jco";
import { describe, expect, it } from "vitest";
import { captureImage, PAGE_BYTES } from "../snapshot/memory-image.js";
import type { MeteredImage } from "../types.js";
import { buildReadyInstance, PrewarmCache, prewarmKey, type PrewarmShape } from "./prewarm-cache.js";

const WAT = `(module
  (import "env" "memory" (memory 1))
  (import "env" "tick" (func $tick (result i32)))
  (global $g (export "__llm_global_0") (mut i32) (i32.const 0))
  (func (export "call") (result i32) (call $tick))
  (func (export "peek") (result i32) (i32.load (i32.const 64))))`;

async function shape(restore: PrewarmShape["plan"]["restore"] = null, wat = WAT): Promise<PrewarmShape> {
  const module = await WebAssembly.compile(new Uint8Array(await parse(wat)));
  const image: Omit<MeteredImage, "module"> = { name: "t.wasm", hash: "h", memory: { module: "env", name: "memory", initialPages: 1, maximumPages: null }, fuelExport: "f", growFailedExport: "g" };
  return { driver: "file:///driver.js", module, image, maxPages: 4, plan: { key: "k", restore } };
}

/** An image of a 2-page memory holding 42 at byte 64, with the global set to 7. */
function image(): ReturnType<typeof captureImage> {
  const memory = new Uint8Array(2 * PAGE_BYTES);
  memory[64] = 42;
  return captureImage(memory, new Uint8Array(PAGE_BYTES), { __llm_global_0: 7 });
}

describe("pre-warmed instances", () => {
  it("are restored before a run, and their imports throw until a run binds its own", async () => {
    const s = await shape(image());
    const ready = buildReadyInstance(s, prewarmKey(s)!);
    const exports = ready.instance.exports as { call(): number; peek(): number; __llm_global_0: WebAssembly.Global };
    expect(exports.peek()).toBe(42);
    expect(exports.__llm_global_0.value).toBe(7);
    expect(ready.memory.buffer.byteLength).toBe(2 * PAGE_BYTES);
    expect(() => exports.call()).toThrow(/before a run took it/);
    ready.bind({ env: { tick: () => 5 } });
    expect(exports.call()).toBe(5);
  });

  it("refuse a run whose imports lack one of their functions", async () => {
    const s = await shape();
    const ready = buildReadyInstance(s, prewarmKey(s)!);
    expect(() => ready.bind({ env: {} })).toThrow(/no function env\.tick/);
  });

  it("are keyed by memory cap and restored image, and never for an image without an id", async () => {
    const s = await shape(image());
    const other = await shape(image());
    expect(prewarmKey(s)).not.toBe(prewarmKey(other));
    expect(prewarmKey({ ...s, maxPages: 5 })).not.toBe(prewarmKey(s));
    const { id: _, ...anonymous } = image();
    expect(prewarmKey(await shape(anonymous))).toBeNull();
  });

  it("are taken once, by a run of their own key, and built when such a run arrives before the thread was idle", async () => {
    const cache = new PrewarmCache();
    const s = await shape();
    const key = prewarmKey(s)!;
    cache.schedule(s);
    expect(cache.take(s.driver, `${key}x`)).toBeNull();
    const ready = cache.take(s.driver, key);
    expect(ready).not.toBeNull();
    expect(cache.take(s.driver, key)).toBeNull();
    expect(cache.size).toBe(0);
  });

  it("are not kept for a module with a non-function import the plan does not provide", async () => {
    const cache = new PrewarmCache();
    const s = await shape(null, WAT.replace(`(import "env" "tick"`, `(import "env" "g" (global i32)) (import "env" "tick"`));
    cache.schedule(s);
    expect(cache.take(s.driver, prewarmKey(s)!)).toBeNull();
    const provided = { ...s, plan: { ...s.plan, staticImports: () => ({ env: { g: new WebAssembly.Global({ value: "i32" }, 3) } }) } };
    cache.schedule(provided);
    expect(cache.take(s.driver, prewarmKey(provided)!)).not.toBeNull();
  });
});
