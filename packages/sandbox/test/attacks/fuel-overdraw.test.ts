/**
 * The meter checks fuel at loop headers and function entries, so straight-line code after
 * the last check could overdraw the budget without trapping. A run that ends overdrawn must
 * fail as out of fuel: the budget is a hard cap, in every runtime. Each case runs once with a
 * large budget to learn its deterministic cost F, then with F − 1: out of fuel. (A budget of
 * exactly F need not suffice: the meter charges some segments ahead and refunds them on a
 * branch, so the running total can briefly exceed the final one.) A warm session's
 * execution is held to the same rule.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, createSandboxHost, memoryStorage } from "../../src/index.js";
import { WARM_RUNTIMES } from "../keep-alive/programs.js";

// `_start` runs one loop (its header is the last check), then 300 charged instructions.
const WASM_TAIL = `(module
  (memory (export "memory") 1)
  (func (export "_start") (local $i i32)
    (loop $again
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 10))))
    ${"(drop (i32.const 7)) ".repeat(150)}))`;

const PROGRAMS: Record<string, string> = {
  javascript: 'console.log("hi")',
  lua: 'print("hi")',
  python: 'print("hi")',
  ruby: 'puts "hi"',
  wasm: WASM_TAIL,
};

async function runWith(runtime: string, code: string, fuelBudget?: number) {
  const sandbox = await createSandbox({ runtime, storage: memoryStorage(), policy: { deterministic: true, ...(fuelBudget !== undefined ? { fuelBudget } : {}) } });
  return sandbox.execute(code);
}

describe("attack: ending a run just past the last fuel check", () => {
  for (const [runtime, code] of Object.entries(PROGRAMS)) {
    it(`${runtime}: a budget one unit below the run's cost fails as out of fuel`, async () => {
      const free = await runWith(runtime, code);
      expect(free.success, free.stderr).toBe(true);
      const cost = free.fuelConsumed;
      const short = await runWith(runtime, code, cost - 1);
      expect(short.success).toBe(false);
      expect(short.trapReason).toBe("out_of_fuel");
      expect(short.fuelConsumed).toBe(cost - 1);
    }, 120_000);
  }
});

describe("attack: ending a warm execution just past the last fuel check", () => {
  const host = createSandboxHost();
  afterAll(() => host.close());

  /** The second execution of a fresh keepAlive session, with an optional budget for it. */
  async function secondWarm(runtime: string, fuelBudget?: number) {
    await using sandbox = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true, policy: { deterministic: true } });
    await sandbox.execute(PROGRAMS[runtime]!);
    return await sandbox.execute(PROGRAMS[runtime]!, fuelBudget !== undefined ? { policy: { fuelBudget } } : {});
  }

  for (const runtime of WARM_RUNTIMES) {
    it(`${runtime}: a budget one unit below the warm execution's cost fails as out of fuel`, async () => {
      const free = await secondWarm(runtime);
      expect(free.warm).toBe(true);
      const short = await secondWarm(runtime, free.fuelConsumed - 1);
      expect(short.warm).toBe(true);
      expect(short.trapReason).toBe("out_of_fuel");
      expect(short.fuelConsumed).toBe(free.fuelConsumed - 1);
    }, 120_000);
  }
});
