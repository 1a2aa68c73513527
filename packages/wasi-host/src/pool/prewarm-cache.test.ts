import { parse } from "@bytecodealliance/jco";
import { describe, expect, it } from "vitest";
import { captureImage, PAGE_BYTES } from "../snapshot/memory-image.js";
import type { GuestContext, MeteredImage, RunLimits } from "../types.js";
import { continueAfterStart, type StartInputs } from "./prewarm-world.js";
import { createGuestClock, type RunClock } from "../wasi/clock.js";
import { buildReadyInstance, PrewarmCache, prewarmKey, type PrewarmShape } from "./prewarm-cache.js";

const WAT = `(module
  (import "env" "memory" (memory 1))
  (import "env" "tick" (func $tick (result i32)))
  (global $g (export "__llm_global_0") (mut i32) (i32.const 0))
  (func (export "call") (result i32) (call $tick))
  (func (export "peek") (result i32) (i32.load (i32.const 64))))`;

const LIMITS: RunLimits = { memoryBytes: 4 * PAGE_BYTES, fuelBudget: 1_000_000, timeoutMs: 1000, stdoutMaxBytes: 100, stderrMaxBytes: 100, deterministic: true, randomSeed: 1 };
const INPUTS: StartInputs = { limits: LIMITS, argv: ["t"], env: { A: "1" }, data: null, snapshot: null };

async function shape(restore: PrewarmShape["plan"]["restore"] = null, wat = WAT): Promise<PrewarmShape> {
  const module = await WebAssembly.compile(new Uint8Array(await parse(wat)));
  const image: Omit<MeteredImage, "module"> = { name: "t.wasm", hash: "h", memory: { module: "env", name: "memory", initialPages: 1, maximumPages: null }, fuelExport: "f", growFailedExport: "g" };
  return { driver: "file:///driver.js", module, image, maxPages: 4, plan: { key: "k", restore }, inputs: INPUTS };
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
    const ready = await buildReadyInstance(s, prewarmKey(s)!);
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
    const ready = await buildReadyInstance(s, prewarmKey(s)!);
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
    expect(await cache.take(s.driver, `${key}x`, 1)).toBeNull();
    const ready = await cache.take(s.driver, key, 1);
    expect(ready).not.toBeNull();
    expect(await cache.take(s.driver, key, 1)).toBeNull();
    expect(cache.size).toBe(0);
  });

  it("are built once the main thread took the run's result (not before), unless a run of their key arrives first", async () => {
    const cache = new PrewarmCache();
    const s = await shape();
    let taken!: () => void;
    cache.schedule(s, false, new Promise<void>((resolve) => (taken = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cache.size).toBe(0);
    taken();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cache.size).toBe(1);
    // A run that arrives first builds it itself instead of waiting for the result to be taken.
    const other = new PrewarmCache();
    other.schedule(s, false, new Promise<void>(() => {}));
    expect(await other.take(s.driver, prewarmKey(s)!, 1)).not.toBeNull();
  });

  it("are not kept for a module with a non-function import the plan does not provide", async () => {
    const cache = new PrewarmCache();
    const s = await shape(null, WAT.replace(`(import "env" "tick"`, `(import "env" "g" (global i32)) (import "env" "tick"`));
    cache.schedule(s);
    expect(await cache.take(s.driver, prewarmKey(s)!, 1)).toBeNull();
    const provided = { ...s, plan: { ...s.plan, staticImports: () => ({ env: { g: new WebAssembly.Global({ value: "i32" }, 3) } }) } };
    cache.schedule(provided);
    expect(await cache.take(s.driver, prewarmKey(provided)!, 1)).not.toBeNull();
  });

  it("run the driver's start with its imports bound to the start's, measure its fuel, and unbind them after", async () => {
    const s = await shape(null, START_WAT);
    const seen: string[] = [];
    const start = (ctx: GuestContext): unknown => {
      const instance = ctx.instantiate({ env: { tick: () => (seen.push(ctx.env["A"]!), 3) } });
      return (instance.exports as { begin(): number }).begin();
    };
    const ready = await buildReadyInstance({ ...s, plan: { ...s.plan, start } }, "k");
    expect(seen).toEqual(["1"]);
    expect(ready.started).toMatchObject({ value: 3, fuel: 25n });
    expect(() => (ready.instance.exports as { call(): number }).call()).toThrow(/before a run took it/);
  });

  it("are not handed to a run whose fuel budget is smaller than the driver's start, which then starts cold", async () => {
    const s = await shape(null, START_WAT);
    const started = { ...s, plan: { ...s.plan, start: (ctx: GuestContext) => (ctx.instantiate({ env: { tick: () => 0 } }).exports as { begin(): number }).begin() } };
    const cache = new PrewarmCache();
    cache.schedule(started);
    const key = prewarmKey(started)!;
    expect(await cache.take(s.driver, key, 24)).toBeNull();
    expect((await cache.take(s.driver, key, 25))?.started?.fuel).toBe(25n);
  });

  it("are not kept when the driver's start did what a run's own start could not carry over (output, a real sleep)", async () => {
    const s = await shape(null, START_WAT);
    const real = { ...INPUTS, limits: { ...LIMITS, deterministic: false } };
    const spoilers: [StartInputs, (ctx: GuestContext) => void][] = [
      [INPUTS, (ctx) => ctx.writeStdout(new Uint8Array([65]))],
      [real, (ctx) => (ctx.clock as RunClock).sleep(1n)],
    ];
    for (const [inputs, spoil] of spoilers) {
      const plan = { ...s.plan, start: (ctx: GuestContext) => (ctx.instantiate({ env: { tick: () => 0 } }), spoil(ctx)) };
      await expect(buildReadyInstance({ ...s, plan, inputs }, "k")).rejects.toThrow(/not kept/);
    }
  });

  it("hand the run a clock where a cold run's would be after the same start", async () => {
    const s = await shape(null, START_WAT);
    const start = (ctx: GuestContext): bigint => {
      ctx.instantiate({ env: { tick: () => 0 } });
      ctx.clock.fillRandom(new Uint8Array(5));
      (ctx.clock as RunClock).sleep(3_000_000n);
      return ctx.clock.monotonicNs();
    };
    // Deterministic: a cold run's clock after the start's draws and reads.
    const ready = await buildReadyInstance({ ...s, plan: { ...s.plan, start } }, "k");
    const cold = createGuestClock({ deterministic: true, randomSeed: LIMITS.randomSeed });
    start({ instantiate: () => ({}) as WebAssembly.Instance, clock: cold } as unknown as GuestContext);
    const run = continueAfterStart(createGuestClock({ deterministic: true, randomSeed: LIMITS.randomSeed }), ready.started!.clock);
    const draw = (c: RunClock): number[] => {
      const b = new Uint8Array(8);
      c.fillRandom(b);
      return [...b];
    };
    expect([run.monotonicNs(), draw(run)]).toEqual([cold.monotonicNs(), draw(cold)]);
    // Real clocks: the run's monotonic clock goes on from the start's last reading.
    const realStart = (ctx: GuestContext): bigint => (ctx.instantiate({ env: { tick: () => 0 } }), ctx.clock.monotonicNs());
    const real = await buildReadyInstance({ ...s, plan: { ...s.plan, start: realStart }, inputs: { ...INPUTS, limits: { ...LIMITS, deterministic: false } } }, "k");
    await new Promise((resolve) => setTimeout(resolve, 50));
    // What the run's clock shows went by since the start's reading is at most what went by
    // while it was continued and read (hrtime, the clock's own source) — never the 50 ms
    // pause; no bound on the host's own speed (a loaded machine may take long over it).
    const before = process.hrtime.bigint();
    const went = continueAfterStart(createGuestClock({ deterministic: false }), real.started!.clock).monotonicNs() - (real.started!.value as bigint);
    const bracket = process.hrtime.bigint() - before;
    expect(went).toBeGreaterThanOrEqual(0n);
    expect(went).toBeLessThanOrEqual(bracket);
  });

  it("key a driver's start by the env, argv and clock mode it ran with", async () => {
    const s = await shape(null, START_WAT);
    const started = { ...s, plan: { ...s.plan, start: () => null } };
    const key = prewarmKey(started);
    expect(prewarmKey({ ...started, inputs: { ...INPUTS, env: { A: "2" } } })).not.toBe(key);
    expect(prewarmKey({ ...started, inputs: { ...INPUTS, argv: ["u"] } })).not.toBe(key);
    expect(prewarmKey({ ...started, inputs: { ...INPUTS, limits: { ...LIMITS, randomSeed: 2 } } })).not.toBe(key);
    expect(prewarmKey({ ...started, inputs: { ...INPUTS, limits: { ...LIMITS, fuelBudget: 5 } } })).toBe(key);
    expect(prewarmKey(s)).toBe(prewarmKey({ ...s, inputs: { ...INPUTS, env: {} } }));
  });
  it("a warm-up's instance (if vacant) never replaces one a real run left or planned", async () => {
    const cache = new PrewarmCache();
    const s = await shape();
    const other = { ...s, plan: { ...s.plan, key: "other" } };
    cache.schedule(s);
    cache.schedule(other, true);
    expect(await cache.take(s.driver, prewarmKey(other)!, 1)).toBeNull();
    expect(await cache.take(s.driver, prewarmKey(s)!, 1)).not.toBeNull();
    cache.schedule(other, true);
    expect(await cache.take(s.driver, prewarmKey(other)!, 1)).not.toBeNull();
  });
});

/** A module whose `begin` spends 25 units of its own fuel global (as the meter would) and calls an import. */
const START_WAT = `(module
  (import "env" "memory" (memory 1))
  (import "env" "tick" (func $tick (result i32)))
  (global $f (export "f") (mut i64) (i64.const 0))
  (func (export "begin") (result i32) (global.set $f (i64.sub (global.get $f) (i64.const 25))) (call $tick))
  (func (export "call") (result i32) (call $tick)))`;
