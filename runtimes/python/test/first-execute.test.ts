/**
 * A process's first Python execution: the snapshot file is read, and the driver imported,
 * by the same pool task that prepares the image (while V8 compiles it), not by a second
 * task started after the image is ready. This file's process must not have loaded the
 * image before: nothing else runs here.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createRunner, createWorkerPool, type PreparerTask, type WorkerPool } from "@llm-wasm-sandbox/wasi-host";
import { MemoryWorkspace, prepareRequest } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { createPythonPlugin } from "../src/index.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));

/** Makes sure the image, standard library and snapshot are in the cache, from another process. */
function warmCacheInChildProcess(): void {
  const script = [
    'import { createPythonPlugin } from "@llm-wasm-sandbox/runtime-python";',
    'import { createRuntimeHarness } from "@llm-wasm-sandbox/testkit";',
    'const h = createRuntimeHarness(createPythonPlugin({ vendorDir: "/nonexistent-vendor-dir" }));',
    'const { raw } = await h.run("pass");',
    "await h.close();",
    "if (raw.exitCode !== 0) throw new Error(raw.stderr);",
  ].join("\n");
  execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageRoot, stdio: "pipe" });
}

/** A pool that records what each preparer task was asked. */
function recordingPool(): { pool: WorkerPool; asked: unknown[] } {
  const inner = createWorkerPool({ size: 1 });
  const asked: unknown[] = [];
  const pool: WorkerPool = {
    size: inner.size,
    run: (options) => inner.run(options),
    snapshotRun: (options) => inner.snapshotRun(options),
    prepare: <O>(task: PreparerTask, options?: { readonly signal?: AbortSignal }) => {
      asked.push(task.input);
      return inner.prepare<O>(task, options);
    },
    close: () => inner.close(),
    [Symbol.asyncDispose]: () => inner.close(),
  };
  return { pool, asked };
}

describe("a process's first Python execution", () => {
  it("loads the snapshot file in the image's own pool task", async () => {
    warmCacheInChildProcess();
    const { pool, asked } = recordingPool();
    const runner = createRunner({ pool });
    try {
      const plugin = createPythonPlugin({ vendorDir: "/nonexistent-vendor-dir" });
      const request = prepareRequest(plugin, "print(6 * 7)");
      const { raw } = await runner.execute(plugin, { request, workspace: new MemoryWorkspace().source() });
      expect(raw.stdout).toBe("42\n");
      expect(runner.snapshotOrigins).toEqual(["disk"]);
      // One preparer task: the image's (which carried the snapshot request); no separate load.
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ snapshot: { driver: expect.stringContaining("driver.js") } });
    } finally {
      await runner.close();
      await pool.close();
    }
  }, 600_000);
});
