/**
 * A warm session's thread between executions waits on `Atomics.waitAsync` and is woken by the
 * main thread's signal (pool/thread-wake.ts): these attack the edges of that wake path —
 * ending a thread that waits, a thread that dies while the host awaits its reply, a run
 * whose guest starts late (the wall clock starts with the guest, without a message).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { LiveWorker } from "../src/session-worker/live-worker.js";
import { command, runOptions, testLimits, watImage } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "wasi-host-session-worker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A driver module whose first execution keeps a continuation: `keep` is its body (`ctx`,
 * `next` and a counter `n` in scope; it must call `ctx.live.keep(next)` to stay kept).
 * `top` runs when the module is imported.
 */
function driver(name: string, keep: string, top = ""): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `${top}\nexport default async function (ctx) {\n  let n = 0;\n  const next = async (data) => { n++; ${keep} };\n  ctx.live.keep(next);\n  ctx.writeStdout(new TextEncoder().encode("first\\n"));\n  return 0;\n}\n`,
  );
  return pathToFileURL(file).href;
}

const image = await watImage("noop.wasm", command(""));

describe("session worker wake path", () => {
  it("continues the kept interpreter on each signal, one reply per execution", async () => {
    const worker = new LiveWorker();
    try {
      const url = driver("count", `ctx.writeStdout(new TextEncoder().encode(n + "\\n")); ctx.live.keep(next); return 0;`);
      const options = runOptions(image, { driver: url });
      expect((await worker.run(options)).kept).toBe(true);
      const outputs: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { raw, kept } = await worker.run(options);
        expect(kept).toBe(true);
        outputs.push(raw.stdout);
      }
      expect(outputs).toEqual(["1\n", "2\n", "3\n"]);
    } finally {
      await worker.terminate();
    }
  });

  it("ends a thread blocked waiting for its next execution, and refuses further runs", async () => {
    const worker = new LiveWorker();
    const url = driver("idle", `return 0;`);
    expect((await worker.run(runOptions(image, { driver: url }))).kept).toBe(true);
    // Give the thread time to enter its wait.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(worker.alive).toBe(true);
    await worker.terminate();
    expect(worker.alive).toBe(false);
    await expect(worker.run(runOptions(image, { driver: url }))).rejects.toThrow(/cannot take another execution/);
  });

  it("gives the host a host_error run, never a hang, when the thread dies while the host awaits its reply", async () => {
    const worker = new LiveWorker();
    const url = driver("dies", `process.exit(7);`);
    const options = runOptions(image, { driver: url });
    expect((await worker.run(options)).kept).toBe(true);
    const { raw, kept } = await worker.run(options);
    expect(raw.trapReason).toBe("host_error");
    expect(raw.trapMessage).toContain("host error");
    expect(kept).toBe(false);
    expect(worker.alive).toBe(false);
  });

  it("gives the host a host_error run when the thread throws outside any execution's reach", async () => {
    const worker = new LiveWorker();
    // The continuation schedules an uncaught exception and returns: the thread dies
    // before (or while) its reply is awaited, whichever comes first.
    const url = driver("throws", `setImmediate(() => { throw new Error("boom outside the run"); }); await new Promise((r) => setTimeout(r, 1000)); return 0;`);
    const options = runOptions(image, { driver: url });
    expect((await worker.run(options)).kept).toBe(true);
    const { raw } = await worker.run(options);
    expect(raw.trapReason).toBe("host_error");
    expect(raw.trapMessage).toContain("boom outside the run");
    expect(worker.alive).toBe(false);
  });

  it("stops a continuing execution at the wall clock and ends its thread", async () => {
    const worker = new LiveWorker();
    const url = driver("spin", `for (;;) {}`);
    expect((await worker.run(runOptions(image, { driver: url }))).kept).toBe(true);
    const { raw, kept } = await worker.run(runOptions(image, { driver: url, limits: testLimits({ timeoutMs: 200 }) }));
    expect(raw.trapReason).toBe("timeout");
    expect(kept).toBe(false);
    expect(worker.alive).toBe(false);
  });

  it("starts the wall clock when the guest starts, not when the run was posted", async () => {
    const worker = new LiveWorker();
    try {
      // Importing this driver keeps the thread busy for 1.5 s before the guest starts;
      // a 500 ms limit counted from the post would stop the run.
      const url = driver("slow-import", `return 0;`, `const until = Date.now() + 1500; while (Date.now() < until) {}`);
      const { raw } = await worker.run(runOptions(image, { driver: url, limits: testLimits({ timeoutMs: 500 }) }));
      expect(raw.trapReason).toBeNull();
      expect(raw.exitCode).toBe(0);
    } finally {
      await worker.terminate();
    }
  });
});
