/**
 * The fuel a run reports when the wall clock stops it: a lower bound, the fuel spent up to
 * the last time the guest wrote output, called the host or slept (see `fuelConsumed`).
 * Each program computes first, then waits (or, in Lua, which cannot sleep, prints and
 * spins) until the wall clock stops it; it must report at least what its computing part
 * costs when run alone to the end. The budgets are far apart so that only the wall clock
 * can bind: the fuel budget is 10^13 units (hours of guest code), and the run alone has a minute.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryStorage } from "@llm-wasm-sandbox/storage-memory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, createSandboxHost, type SandboxHost } from "../src/index.js";
import { runCli } from "./fixtures/run-cli.js";

const fuelBudget = 10_000_000_000_000;
/** The computing part takes well under 0.2 s of a warm interpreter; the wall clock stops the wait at 2.5 s. */
const policy = { fuelBudget, timeoutMs: 2500 };

/** Per runtime: the computing part, and what follows it until the wall clock ends the run. */
const PROGRAMS: Record<string, { readonly work: string; readonly wait: string }> = {
  python: { work: "n = 0\nfor i in range(100000):\n    n += i\n", wait: "import time\nwhile True:\n    time.sleep(0.01)\n" },
  javascript: { work: "let n = 0;\nfor (let i = 0; i < 100000; i++) n += i;\n", wait: "const tick = () => setTimeout(tick, 10);\ntick();\n" },
  ruby: { work: "n = 0\n20000.times { |i| n += i }\n", wait: "loop { sleep 0.01 }\n" },
  lua: { work: "local n = 0\nfor i = 1, 200000 do n = n + i end\n", wait: "print(n)\nwhile true do end\n" },
};

/** Counts to 1,000,000 (8 metered instructions an iteration), then polls a 10 ms clock forever. */
const WAT_COUNT_THEN_POLL = `(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $i i32)
    (loop $count
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $count (i32.lt_u (local.get $i) (i32.const 1000000))))
    ;; One clock subscription at 0: tag 0 (clock) at 8, clock id 1 (monotonic) at 16, timeout 10 ms at 24.
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 10000000))
    (loop $wait
      (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))
      (br $wait))))
`;

describe("fuel reported by a run the wall clock stopped", () => {
  let host: SandboxHost;
  beforeAll(() => {
    host = createSandboxHost();
  });
  afterAll(async () => {
    await host.close();
  });

  for (const [runtime, { work, wait }] of Object.entries(PROGRAMS)) {
    it(`${runtime}: at least what its work before the wait costs`, async () => {
      const sb = await createSandbox({ runtime, host, storage: memoryStorage(), policy });
      const alone = await sb.execute(work, { policy: { timeoutMs: 60_000 } });
      const stopped = await sb.execute(work + wait);
      expect(alone.success).toBe(true);
      expect(stopped.trapReason).toBe("timeout");
      // The run alone also spent its exit after the work; the stopped one never got there.
      expect(stopped.fuelConsumed).toBeGreaterThanOrEqual(0.95 * alone.fuelConsumed);
      expect(stopped.fuelAnalysis.consumed).toBe(stopped.fuelConsumed);
    }, 60_000);
  }

  it("wasm: at least the counting loop's 8,000,000 units, recorded at its first poll_oneoff", async () => {
    const sb = await createSandbox({ runtime: "wasm", host, storage: memoryStorage(), policy });
    const stopped = await sb.execute(WAT_COUNT_THEN_POLL);
    expect(stopped.trapReason).toBe("timeout");
    expect(stopped.fuelConsumed).toBeGreaterThanOrEqual(8_000_000);
  }, 60_000);

  it("a warm session (keepAlive) records it too", async () => {
    const { work, wait } = PROGRAMS.python!;
    const sb = await createSandbox({ runtime: "python", host, storage: memoryStorage(), policy, keepAlive: true });
    await sb.execute("pass");
    const alone = await sb.execute(work, { policy: { timeoutMs: 60_000 } });
    const stopped = await sb.execute(work + wait);
    expect([alone.warm, stopped.warm]).toEqual([true, true]);
    expect(stopped.trapReason).toBe("timeout");
    expect(stopped.fuelConsumed).toBeGreaterThanOrEqual(0.95 * alone.fuelConsumed);
    await sb.close();
  }, 60_000);

  it("the CLI's summary marks the count as a lower bound", async () => {
    const dir = await mkdtemp(join(tmpdir(), "timeout-fuel-"));
    try {
      await writeFile(join(dir, "wait.rb"), PROGRAMS.ruby!.work + PROGRAMS.ruby!.wait);
      const r = await runCli(["run", "--timeout", "2500", "--fuel", "1e13", "wait.rb"], { cwd: dir });
      const fuel = /· fuel ≥ ([\d,]+) ·.*· stopped: timeout/.exec(r.stderr)?.[1];
      expect(Number(fuel?.replaceAll(",", ""))).toBeGreaterThan(10_000_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
