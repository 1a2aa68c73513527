/**
 * Pre-warmed instances (issue 19): `createSandboxHost({ prewarm })` keeps an instance of
 * each listed runtime ready in the worker thread that ran it. A run that takes one must
 * be indistinguishable from a cold run — same output, same fuel — and say so in
 * `result.prewarmed`. One thread per host, so the second run meets the first run's refill.
 */
import { afterAll, describe, expect, it } from "vitest";
import { PolicyValidationError } from "@llm-wasm-sandbox/core";
import { createSandbox, createSandboxHost, memoryStorage, type SandboxHost } from "../src/index.js";

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
  wasm: `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`,
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
    const warm = await createSandbox({ runtime, host: newHost([runtime]), policy: POLICY });
    const cold = await createSandbox({ runtime, host: newHost([]), policy: POLICY });
    const [w1, w2, w3] = [await warm.execute(PROGRAM[runtime]!), await warm.execute(PROGRAM[runtime]!), await warm.execute(PROGRAM[runtime]!)];
    const [c1, c2] = [await cold.execute(PROGRAM[runtime]!), await cold.execute(PROGRAM[runtime]!)];
    for (const r of [w1, w2, w3, c1, c2]) expect(r.stderr).toBe("");
    expect(w1.success && c1.success).toBe(true);
    // A thread's first run is cold; wasm (the user's own module) has nothing to pre-warm.
    expect([w1.prewarmed, w2.prewarmed, w3.prewarmed]).toEqual([false, runtime !== "wasm", runtime !== "wasm"]);
    expect([c1.prewarmed, c2.prewarmed]).toEqual([false, false]);
    for (const w of [w2, w3]) {
      expect(w.stdout).toBe(c2.stdout);
      expect(w.fuelConsumed).toBe(c2.fuelConsumed);
      expect(w.memoryUsedBytes).toBe(c2.memoryUsedBytes);
    }
    expect(w1.fuelConsumed).toBe(c1.fuelConsumed);
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
