/**
 * Pre-warmed instances (issue 19): `createSandboxHost({ prewarm })` keeps an instance of
 * each listed runtime ready in the worker thread that ran it. A run that takes one must
 * be indistinguishable from a cold run — same output, same fuel — and say so in
 * `result.prewarmed`. One thread per host, so the second run meets the first run's refill.
 */
import { afterAll, describe, expect, it } from "vitest";
import { PolicyValidationError } from "@llm-wasm-sandbox/core";
import { createSandbox, createSandboxHost, memoryStorage, type SandboxHost } from "../src/index.js";
import { WAT_HELLO } from "./attacks/wat-fragments.js";

/** Deterministic programs that touch the clock, randomness, a file and some computing. */
const PROGRAM: Record<string, string> = {
  python: `import random, time
open("/app/o.txt", "w").write("x")
print(random.random(), time.time(), sum(range(1000)))`,
  javascript: `writeText("/app/o.txt", "x"); console.log(Math.random(), Date.now(), [...Array(1000).keys()].reduce((a, b) => a + b))`,
  ruby: `File.write("/app/o.txt", "x"); puts [rand, Time.now.to_f, (0...1000).sum].join(" ")`,
  lua: `local f = io.open("/app/o.txt", "w") f:write("x") f:close()
local s = 0 for i = 0, 999 do s = s + i end
print(math.random(), os.time(), s)`,
  wasm: WAT_HELLO,
};

const RUNTIMES = Object.keys(PROGRAM);
const POLICY = { deterministic: true, randomSeed: 7, timeoutMs: 120_000 };
const hosts: SandboxHost[] = [];
const newHost = (prewarm: readonly string[]): SandboxHost => {
  const host = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 }, prewarm });
  hosts.push(host);
  return host;
};
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
});

describe.each(RUNTIMES)("%s pre-warmed instances", (runtime) => {
  it("a run on a pre-warmed instance prints and consumes exactly what a cold run does", async () => {
    const warmHost = newHost([runtime]);
    await warmHost.warmedUp;
    const warm = await createSandbox({ runtime, host: warmHost, policy: POLICY });
    const cold = await createSandbox({ runtime, host: newHost([]), policy: POLICY });
    const [w1, w2, w3] = [await warm.execute(PROGRAM[runtime]!), await warm.execute(PROGRAM[runtime]!), await warm.execute(PROGRAM[runtime]!)];
    const [c1, c2] = [await cold.execute(PROGRAM[runtime]!), await cold.execute(PROGRAM[runtime]!)];
    for (const r of [w1, w2, w3, c1, c2]) expect(r.stderr).toBe("");
    expect(w1.success && c1.success).toBe(true);
    // The host warmed the runtime up at creation with the default policy: Ruby's instances
    // serve any clock mode, so even the first run takes one; JavaScript, Lua and Python
    // start their interpreter (Python: the run's configuration and generator) for the
    // warm-up's clock mode, not this deterministic one. wasm (the user's own module) has
    // nothing to pre-warm.
    const pre = runtime !== "wasm";
    expect([w1.prewarmed, w2.prewarmed, w3.prewarmed]).toEqual([runtime === "ruby", pre, pre]);
    expect([c1.prewarmed, c2.prewarmed]).toEqual([false, false]);
    for (const w of [w2, w3]) {
      expect(w.stdout).toBe(c2.stdout);
      expect(w.fuelConsumed).toBe(c2.fuelConsumed);
      expect(w.memoryUsedBytes).toBe(c2.memoryUsedBytes);
    }
    expect(w1.fuelConsumed).toBe(c1.fuelConsumed);
  }, 300_000);
});

/** Deterministic programs that print what an interpreter's start leaves behind: globals, loaded modules, search paths, hash order, clocks. */
const WORLD: Record<string, string> = {
  python: `import sys, random, time
print(len(sys.modules), sorted(globals()), sys.path, random.random(), time.monotonic(), time.time())`,
  javascript: `console.log(Object.getOwnPropertyNames(globalThis).join(","), Math.random(), Date.now(), performance.now())`,
  ruby: `puts [global_variables.size, Object.constants.size, $LOADED_FEATURES.size, $LOAD_PATH.join(":"), rand, Process.clock_gettime(Process::CLOCK_MONOTONIC), Time.now.to_f].join(" ")`,
  lua: `local g = {} for k in pairs(_G) do g[#g + 1] = k end table.sort(g)
local o = {} for k in pairs({ alpha = 1, beta = 2, gamma = 3, delta = 4, epsilon = 5, zeta = 6 }) do o[#o + 1] = k end
print(table.concat(g, ","), package.path, table.concat(o, ","), collectgarbage("count"), os.clock(), os.time(), math.random(), os.getenv("X"))`,
  wasm: PROGRAM["wasm"]!,
};

describe.each(RUNTIMES)("%s: what a pre-warmed (or pre-started) instance shows the guest", (runtime) => {
  it("is what a cold instance shows: same world, same output, same fuel", async () => {
    const policy = { ...POLICY, env: { X: "1" } };
    const warm = await createSandbox({ runtime, host: newHost([runtime]), policy });
    const cold = await createSandbox({ runtime, host: newHost([]), policy });
    await warm.execute(WORLD[runtime]!);
    const [w, c] = [await warm.execute(WORLD[runtime]!), await cold.execute(WORLD[runtime]!)];
    expect(w.prewarmed).toBe(runtime !== "wasm");
    expect(c.stderr).toBe("");
    expect(w.stdout).toBe(c.stdout);
    expect(w.fuelConsumed).toBe(c.fuelConsumed);
    expect(w.memoryUsedBytes).toBe(c.memoryUsedBytes);
    // Another env: the instance pre-started with X=1 must not serve it (Lua reads env in its start).
    const other = await warm.execute(WORLD[runtime]!, { policy: { env: { X: "2" } } });
    const otherCold = await cold.execute(WORLD[runtime]!, { policy: { env: { X: "2" } } });
    expect(other.stdout).toBe(otherCold.stdout);
    expect(other.fuelConsumed).toBe(otherCold.fuelConsumed);
  }, 300_000);
});

describe("createSandboxHost({ prewarm })", () => {
  it("refuses what is not a list of runtime names with PolicyValidationError", () => {
    expect(() => createSandboxHost({ prewarm: "python" as unknown as string[] })).toThrow(PolicyValidationError);
    expect(() => createSandboxHost({ prewarm: [""] })).toThrow(PolicyValidationError);
    expect(() => createSandboxHost({ prewarm: [7 as unknown as string] })).toThrow(PolicyValidationError);
  });

  it("pre-warms only the runtimes it lists", async () => {
    const host = newHost(["lua"]);
    const js = await createSandbox({ runtime: "javascript", host });
    const lua = await createSandbox({ runtime: "lua", host });
    await js.execute("1");
    expect((await js.execute("1")).prewarmed).toBe(false);
    await lua.execute("local x = 1");
    expect((await lua.execute("local x = 1")).prewarmed).toBe(true);
  }, 120_000);
});
