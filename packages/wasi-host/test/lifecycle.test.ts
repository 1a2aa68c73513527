/**
 * Pool lifecycle: disposal, and that an idle pool never keeps the process alive (the CLI
 * must exit as soon as it is done), checked in a child process using the built package.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { closeDefaultPool, createWorkerPool, defaultPool } from "../src/pool/worker-pool.js";
import { command, runOptions, watImage } from "./helpers.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("worker pool lifecycle", () => {
  it("rejects runs after asyncDispose with an actionable error", async () => {
    const image = await watImage("noop.wasm", command(""));
    const pool = createWorkerPool({ size: 1 });
    expect((await pool.run(runOptions(image))).exitCode).toBe(0);
    await pool[Symbol.asyncDispose]();
    await expect(pool.run(runOptions(image))).rejects.toThrow(/worker pool is closed/);
  });

  it("recreates the default pool after closeDefaultPool", async () => {
    const first = defaultPool();
    expect(defaultPool()).toBe(first);
    await closeDefaultPool();
    const second = defaultPool();
    expect(second).not.toBe(first);
    await closeDefaultPool();
  });

  it("lets a process exit on its own after runs on the default pool, without close()", () => {
    // The child never closes the pool: if an idle worker kept the event loop alive,
    // spawnSync would hit its timeout and report a signal instead of exit code 0.
    const script = `
      import { parse } from "@bytecodealliance/jco";
      import { loadModule, run } from "./dist/index.js";
      const wat = '(module (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))' +
        '(memory (export "memory") 1) (data (i32.const 16) "bye") ' +
        '(func (export "_start") (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3)) (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))';
      const image = await loadModule(await parse(wat), { name: "bye.wasm", cacheDir: false });
      const limits = { fuelBudget: 1e6, memoryBytes: 1 << 20, stdoutMaxBytes: 100, stderrMaxBytes: 100, timeoutMs: 5000, deterministic: false, randomSeed: 0 };
      const workspace = { entries: [], read: async () => new Uint8Array() };
      for (let i = 0; i < 2; i++) {
        const result = await run({ image, argv: ["bye"], env: {}, workspace, mounts: [], limits });
        process.stdout.write(result.stdout + (result.fuelConsumed > 0 ? " fuel\\n" : " nofuel\\n"));
      }
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8", timeout: 30_000 });
    expect(child.stderr).toBe("");
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout).toBe("bye fuel\nbye fuel\n");
  });
});
