/**
 * The edges of a pooled run's hand-off between threads: a run posted while its thread
 * still builds the next pre-warmed instance, closing the pool while threads wait or
 * build, a thread that dies outside the task while the host awaits its result, more
 * tasks than threads. None of them may hang the host or lose a run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SandboxExecutionError } from "@llm-wasm-sandbox/core";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createWorkerPool } from "../src/pool/worker-pool.js";
import { run } from "../src/run.js";
import { command, memoryWorkspace, runOptions, watImage } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "wasi-host-pool-wake-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A driver that instantiates its module and returns 0, whose runs can take a pre-warmed
 * instance; building one (its `start`) takes `startMs` of asynchronous waiting.
 */
function prewarmingDriver(name: string, startMs: number): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `const driver = async (ctx) => { ctx.instantiate({}); return ctx.started?.() === "ready" ? 0 : 3; };
driver.prewarm = () => ({ key: "k", restore: null, start: async (ctx) => { ctx.instantiate({}); await new Promise((r) => setTimeout(r, ${startMs})); return "ready"; } });
export default driver;
`,
  );
  return pathToFileURL(file).href;
}

function driver(name: string, body: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `export default async function (ctx) {\n${body}\n}\n`);
  return pathToFileURL(file).href;
}

const image = await watImage("noop.wasm", command(""));

describe("pool thread hand-offs", () => {
  it("takes a run posted while its thread still builds the next pre-warmed instance, and gives it that instance", async () => {
    const pool = createWorkerPool({ size: 1 });
    try {
      const url = prewarmingDriver("slow-start", 300);
      const first = await run(runOptions(image, { driver: url, prewarm: true }), pool);
      expect(first).toMatchObject({ exitCode: 3, trapReason: null, prewarmed: false });
      // Posted at once: the thread is building the next instance (300 ms of its start).
      const second = await run(runOptions(image, { driver: url, prewarm: true }), pool);
      expect(second).toMatchObject({ exitCode: 0, trapReason: null, prewarmed: true });
    } finally {
      await pool.close();
    }
  });

  it("closes while its threads wait for work or build an instance, and refuses runs after", async () => {
    const pool = createWorkerPool({ size: 2, minThreads: 2 });
    const url = prewarmingDriver("slow-close", 2000);
    await run(runOptions(image, { driver: url, prewarm: true }), pool);
    // One thread now builds for 2 s, the other waits for work.
    await pool.close();
    await expect(run(runOptions(image), pool)).rejects.toBeInstanceOf(SandboxExecutionError);
  });

  it("gives the host a host_error run, never a hang, when a thread throws outside the task while the host awaits it", async () => {
    const pool = createWorkerPool({ size: 1 });
    try {
      const dying = await run(
        runOptions(image, { driver: driver("uncaught", `setImmediate(() => { throw new Error("boom outside the task"); }); await new Promise((r) => setTimeout(r, 1000)); return 0;`) }),
        pool,
      );
      expect(dying.trapReason).toBe("host_error");
      expect(dying.trapMessage).toContain("boom outside the task");
      // The next run gets a new thread.
      expect(await run(runOptions(image), pool)).toMatchObject({ exitCode: 0, trapReason: null });
    } finally {
      await pool.close();
    }
  });

  it("a run with a channel handed to a thread that died right after answering runs on a new thread (its port went with the dead thread)", async () => {
    const pool = createWorkerPool({ size: 1 });
    try {
      // After its run the thread waits (reading nothing) for the test's word to block, blocks, and dies once released.
      const dying = driver(
        "answer-then-die",
        `const gate = new Int32Array(ctx.data);
const poll = setInterval(() => {
  if (Atomics.load(gate, 2) === 0) return;
  clearInterval(poll);
  Atomics.store(gate, 0, 1);
  Atomics.wait(gate, 1, 0);
  process.exit(0);
}, 1);
return 0;`,
      );
      const gate = new SharedArrayBuffer(12);
      const words = new Int32Array(gate);
      expect(await run(runOptions(image, { driver: dying, driverData: gate }), pool)).toMatchObject({ exitCode: 0, trapReason: null });
      Atomics.store(words, 2, 1);
      await vi.waitFor(() => expect(Atomics.load(words, 0)).toBe(1), { timeout: 20_000, interval: 5 });
      // A workspace: the run's task carries the port of its channel, posted to the blocked thread.
      const next = run(runOptions(image, { workspace: memoryWorkspace({ "in.txt": "x" }) }), pool);
      Atomics.store(words, 1, 1);
      Atomics.notify(words, 1);
      expect(await next).toMatchObject({ exitCode: 0, trapReason: null });
    } finally {
      await pool.close();
    }
  });

  it("runs queued tasks on the threads that come free, more tasks than threads", async () => {
    const pool = createWorkerPool({ size: 2 });
    try {
      const url = driver("count", `ctx.writeStdout(new TextEncoder().encode(String(ctx.data))); return 0;`);
      const results = await Promise.all(Array.from({ length: 7 }, (_, i) => run(runOptions(image, { driver: url, driverData: i }), pool)));
      expect(results.map((r) => r.stdout)).toEqual(["0", "1", "2", "3", "4", "5", "6"]);
    } finally {
      await pool.close();
    }
  });
});
