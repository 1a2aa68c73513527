/**
 * Pre-started Python instances: a pre-warmed instance has the snapshot restored and the
 * bootstrap's `start` (environment, arguments, paths, `random`) already run for one run
 * configuration. A run that takes it must be exactly a cold run — same output, same fuel,
 * same clocks and random draws in deterministic mode — and an instance started for one
 * configuration must never serve another.
 */
import type { RawRun } from "@llm-wasm-sandbox/core";
import { MemoryWorkspace, prepareRequest } from "@llm-wasm-sandbox/testkit";
import { createRunner } from "@llm-wasm-sandbox/wasi-host";
import { afterAll, describe, expect, it } from "vitest";
import { createPythonPlugin } from "../src/index.js";

const plugin = createPythonPlugin({ vendorDir: "/nonexistent-vendor-dir" });
// One thread each, so every run meets the instance the run before it left.
const warm = createRunner({ prewarm: [plugin.type], pool: { size: 1 } });
const cold = createRunner({ pool: { size: 1 } });
afterAll(async () => {
  await Promise.all([warm.close(), cold.close()]);
});

type Options = Parameters<typeof prepareRequest>[2];

async function run(runner: typeof warm, code: string, options: Options = {}): Promise<RawRun> {
  const workspace = new MemoryWorkspace();
  const { raw } = await runner.execute(plugin, { request: prepareRequest(plugin, code, options), workspace: workspace.source() });
  return raw;
}

/** Prints what `start` set up and what the clock and generator give after it. */
const WORLD = `import os, random, sys, time
print(os.environ.get("X"), sys.argv, sys.path, __file__, random.random(), random.getrandbits(64), time.monotonic(), time.time())`;

const DETERMINISTIC = { deterministic: true, randomSeed: 11, timeoutMs: 120_000 };

describe("a pre-started Python instance", () => {
  it("runs a program exactly as a cold instance: output, fuel, clock and random draws", async () => {
    const options: Options = { policy: { ...DETERMINISTIC, env: { X: "1" } }, args: ["a", "b"] };
    await run(warm, WORLD, options); // leaves an instance started for this configuration
    const [w, c] = [await run(warm, WORLD, options), await run(cold, WORLD, options)];
    expect(c.stderr).toBe("");
    expect([w.prewarmed, c.prewarmed]).toEqual([true, false]);
    expect(w.stdout).toBe(c.stdout);
    expect(w.stdout).toMatch(/^1 \['\/app\/user_code\.py', 'a', 'b'\] /);
    expect(w.fuelConsumed).toBe(c.fuelConsumed);
  }, 300_000);

  it("never serves a run of another configuration (environment, arguments, saved globals)", async () => {
    const base: Options = { policy: { ...DETERMINISTIC, env: { X: "1" } } };
    const variants: Options[] = [
      { policy: { ...DETERMINISTIC, env: { X: "2" } } },
      { ...base, args: ["other"] },
      { ...base, autoPersistGlobals: true },
      { policy: { ...DETERMINISTIC, randomSeed: 12, env: { X: "1" } } },
    ];
    for (const variant of variants) {
      await run(warm, WORLD, base);
      const [w, c] = [await run(warm, WORLD, variant), await run(cold, WORLD, variant)];
      expect(w.prewarmed).toBe(false);
      expect([w.stdout, w.fuelConsumed]).toEqual([c.stdout, c.fuelConsumed]);
      // Its own refill serves the next run like it.
      const again = await run(warm, WORLD, variant);
      expect([again.prewarmed, again.stdout, again.fuelConsumed]).toEqual([true, c.stdout, c.fuelConsumed]);
    }
  }, 600_000);

  it("draws its generator's seed per instance with real clocks (attack: predicting another run's random numbers)", async () => {
    const draw = "import random\nprint(random.getrandbits(128))";
    await run(warm, draw);
    const runs = [await run(warm, draw), await run(warm, draw), await run(warm, draw)];
    for (const r of runs) expect(r.prewarmed).toBe(true);
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(3);
  }, 300_000);
});
