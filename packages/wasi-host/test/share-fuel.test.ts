import { parse } from "@bytecodealliance/jco";
import { describe, expect, it } from "vitest";
import { instrumentModule } from "../src/meter/instrument-module.js";
import { createInstanceTracker } from "../src/pool/instance-tracker.js";
import type { MeteredImage } from "../src/types.js";

async function metered(wat: string, name: string): Promise<MeteredImage> {
  const res = instrumentModule(await parse(wat));
  return { name, hash: name, module: await WebAssembly.compile(res.bytes), memory: res.memory, fuelExport: res.fuelExport, growFailedExport: res.growFailedExport };
}

// Spends fuel in a loop of n iterations.
const SPENDER = '(module (memory 1) (func (export "spend") (param $n i32) (loop $l (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n)))))';

describe("fuel shared by several core instances (components)", () => {
  it("two instances cannot each spend the whole budget once shareFuel pools it", async () => {
    const a = await metered(SPENDER, "a.wasm");
    const b = await metered(SPENDER, "b.wasm");
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const tracker = createInstanceTracker({ module: a.module, image: a, memory, wasiImports: {}, fuelBudget: 10_000 });
    const ia = tracker.instantiate({});
    const ib = tracker.instantiate({}, b);
    const spendA = ia.exports.spend as (n: number) => void;
    const spendB = ib.exports.spend as (n: number) => void;
    spendA(1000); // roughly 6 fuel per iteration: well over half the budget
    const afterA = tracker.fuelConsumed();
    expect(afterA).toBeGreaterThan(5000);
    tracker.shareFuel();
    // B now holds only what A left, so the same work traps instead of running on a fresh budget.
    expect(() => spendB(1000)).toThrow(WebAssembly.RuntimeError);
    expect(tracker.lastFuel()!).toBeLessThan(0n);
  });

  it("keeps the consumption books exact across shareFuel", async () => {
    const a = await metered(SPENDER, "a.wasm");
    const b = await metered(SPENDER, "b.wasm");
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const tracker = createInstanceTracker({ module: a.module, image: a, memory, wasiImports: {}, fuelBudget: 1_000_000 });
    const ia = tracker.instantiate({});
    const ib = tracker.instantiate({}, b);
    (ia.exports.spend as (n: number) => void)(100);
    const one = tracker.fuelConsumed();
    tracker.shareFuel();
    expect(tracker.fuelConsumed()).toBe(one);
    (ib.exports.spend as (n: number) => void)(100);
    tracker.shareFuel();
    expect(tracker.fuelConsumed()).toBe(2 * one);
    expect(tracker.fuelRemaining()).toBe(BigInt(1_000_000 - 2 * one));
  });
});
