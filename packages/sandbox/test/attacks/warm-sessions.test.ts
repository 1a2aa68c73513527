/**
 * Attacks on warm sessions (issue 19, `keepAlive`): a live interpreter must not run while
 * its session is idle, must not hold more than its memory cap across executions, and the
 * host's main thread must stay O(1) per warm execution as it is per cold one.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSandbox, createSandboxHost, defineTool, memoryStorage, writeSessionFile } from "../../src/index.js";
import { MEMORY, PROGRAMS, WARM_RUNTIMES } from "../keep-alive/programs.js";
import { callProgram, outcomes } from "../tools/guest-calls.js";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";

const host = createSandboxHost();
afterAll(() => host.close());

/** Prints `n` × "A" then a newline on stdout, and the same in "E" on stderr. */
const OUTPUT: Readonly<Record<(typeof WARM_RUNTIMES)[number], { both: (n: number) => string }>> = {
  python: { both: (n) => `import sys\nprint("A" * ${n})\nsys.stderr.write("E" * ${n} + "\\n")` },
  javascript: { both: (n) => `console.log("A".repeat(${n})); console.error("E".repeat(${n}))` },
  ruby: { both: (n) => `puts "A" * ${n}; $stderr.puts "E" * ${n}` },
  lua: { both: (n) => `print(string.rep("A", ${n})) io.stderr:write(string.rep("E", ${n}), "\\n")` },
};

describe.each(WARM_RUNTIMES)("warm session attacks (%s)", (runtime) => {
  const p = PROGRAMS[runtime];

  it("a background task left by one execution does not run while the session is idle", async () => {
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true });
    const left = await sb.execute(p.background);
    expect(left.success, left.stderr).toBe(true);
    // Time for a task that kept running to show up in its counter.
    await sleep(300);
    const after = await sb.execute(p.printN);
    expect(after.warm).toBe(true);
    expect(after.stdout.trim()).toBe("0");
  });

  it("a live interpreter cannot hold more than memoryBytes across executions", async () => {
    const { memoryBytes, share } = MEMORY[runtime];
    const bytes = Math.floor(memoryBytes * share);
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true, policy: { memoryBytes } });
    const first = await sb.execute(p.hold(bytes, 1));
    expect(first.success, first.stderr).toBe(true);
    const second = await sb.execute(p.hold(bytes, 2));
    expect(second.warm).toBe(true);
    expect(second.success).toBe(false);
    expect(second.memoryUsedBytes).toBeLessThanOrEqual(memoryBytes);
  });

  it("one execution's output, or its truncation, never shows in the next (the live worker reuses its output buffers)", async () => {
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true, policy: { stdoutMaxBytes: 1000, stderrMaxBytes: 1000 } });
    const flood = await sb.execute(OUTPUT[runtime].both(5000));
    expect(flood.stdoutTruncated).toBe(true);
    expect(flood.stderrTruncated).toBe(true);
    expect(flood.stdout).toBe("A".repeat(1000));
    const quiet = await sb.execute(OUTPUT[runtime].both(3));
    expect(quiet.warm).toBe(true);
    expect([quiet.stdout, quiet.stderr, quiet.stdoutTruncated, quiet.stderrTruncated]).toEqual(["AAA\n", "EEE\n", false, false]);
    // Another cap for one execution: buffers of its own size, and it binds.
    const wider = await sb.execute(OUTPUT[runtime].both(3000), { policy: { stdoutMaxBytes: 2000 } });
    expect(wider.warm).toBe(true);
    expect([wider.stdout.length, wider.stdoutTruncated, wider.stderr.length, wider.stderrTruncated]).toEqual([2000, true, 1000, true]);
    const last = await sb.execute(OUTPUT[runtime].both(1));
    expect([last.warm, last.stdout, last.stderr, last.stdoutTruncated, last.stderrTruncated]).toEqual([true, "A\n", "E\n", false, false]);
  });

  it("host functions keep working in warm executions, each with its own call budget", async () => {
    const seen: unknown[] = [];
    const tools = { echo: defineTool({ description: "Echoes its text.", input: z.object({ text: z.string() }), handler: (args) => (seen.push(args), { length: args.text.length }) }) };
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true, tools, policy: { maxToolCalls: 3 } });
    const program = callProgram(runtime, [{ call: "echo", args: { json: { text: "hi" } }, times: 5 }]);
    const first = await sb.execute(program);
    expect(outcomes(first.stdout)).toBe("ok\nok\nok\nToolBudgetExceeded\nToolBudgetExceeded\n");
    const second = await sb.execute(program);
    expect(second.warm).toBe(true);
    expect(outcomes(second.stdout)).toBe("ok\nok\nok\nToolBudgetExceeded\nToolBudgetExceeded\n");
    expect(second.toolCalls).toHaveLength(3);
    expect(seen).toHaveLength(6);
  });

  it("the main thread stays responsive while warm executions create and delete thousands of files", { timeout: 300_000 }, async () => {
    const storage = memoryStorage();
    await using sb = await createSandbox({ runtime, storage, host, keepAlive: true, policy: { fuelBudget: 50_000_000_000, timeoutMs: 120_000 } });
    await writeSessionFile(sb.sessionId, "many/.keep", "", { storage });
    const files = 2000;
    const create: Record<typeof runtime, string> = {
      python: `for i in range(${files}): open(f'/app/many/f{i}', 'w').write('x')`,
      javascript: `for (let i = 0; i < ${files}; i++) writeText("/app/many/f" + i, "x")`,
      ruby: `${files}.times { |i| File.write("/app/many/f#{i}", 'x') }`,
      lua: `for i = 0, ${files - 1} do local f = assert(io.open('/app/many/f' .. i, 'w')) f:write('x') f:close() end`,
    };
    const remove: Record<typeof runtime, string> = {
      python: `import os\nfor i in range(${files}): os.remove(f'/app/many/f{i}')`,
      javascript: `for (let i = 0; i < ${files}; i++) removeFile("/app/many/f" + i)`,
      ruby: `${files}.times { |i| File.delete("/app/many/f#{i}") }`,
      lua: `for i = 0, ${files - 1} do assert(os.remove('/app/many/f' .. i)) end`,
    };
    await sb.execute(p.define);
    const created = await sb.execute(create[runtime]);
    expect(created.warm).toBe(true);
    expect(created.filesCreated).toHaveLength(files);
    // The warm run plans its commit against the rebased workspace in the worker, as a cold one does.
    const removed = await watchEventLoop(() => sb.execute(remove[runtime]));
    expect(removed.result.warm).toBe(true);
    expect(removed.result.filesDeleted).toHaveLength(files);
    expect(removed.maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });
});

describe("warm session attacks (javascript event loop)", () => {
  it("what each execution leaves behind (its last value, its uncaught error) does not pile up in the live context", async () => {
    const memoryBytes = 64 * 1024 * 1024;
    await using sb = await createSandbox({ runtime: "javascript", storage: memoryStorage(), host, keepAlive: true, policy: { memoryBytes } });
    // 2 MiB per execution, 60 executions: far past the cap if any of it were kept.
    for (let i = 0; i < 30; i++) {
      const value = await sb.execute(`"x".repeat(2 * 1024 * 1024)`);
      expect(value.success, value.stderr).toBe(true);
      const error = await sb.execute(`throw new Error("y".repeat(2 * 1024 * 1024))`);
      expect(error.warm).toBe(true);
      expect(error.trapped).toBe(false);
    }
    const last = await sb.execute("console.log('alive')");
    expect(last.warm).toBe(true);
    expect(last.memoryUsedBytes).toBeLessThan(memoryBytes);
  });

  it("a timer that re-arms forever keeps its own execution running until the limit, never past it", async () => {
    await using sb = await createSandbox({ runtime: "javascript", storage: memoryStorage(), host, keepAlive: true });
    await sb.execute("globalThis.ticks = 0;");
    // Fuel for minutes, a one-second clock: the timeout is the only way this ends.
    const r = await sb.execute("setInterval(() => { ticks++; }, 1);", { policy: { timeoutMs: 1000, fuelBudget: 5_000_000_000_000 } });
    expect(r.trapReason).toBe("timeout");
    const after = await sb.execute("console.log(typeof ticks)");
    expect(after.warm).toBe(false);
    expect(after.stdout.trim()).toBe("undefined");
  });
});

describe("warm session attacks (python run files)", () => {
  it("a program that leaves a directory where the sandbox takes its exit status ends its live interpreter, never the host", async () => {
    await using sb = await createSandbox({ runtime: "python", storage: memoryStorage(), host, keepAlive: true });
    expect((await sb.execute("x = 1")).success).toBe(true);
    const runs = [await sb.execute('import os\nos.makedirs("/tmp/.llm-sandbox-status/inside")'), await sb.execute("print(x)"), await sb.execute("print(2)")];
    // The execution that made it fails as the guest's own failure (no trap), and the next
    // one starts a fresh interpreter (x is gone), which the one after continues.
    expect(runs.map((r) => [r.trapped, r.warm, r.success])).toEqual([
      [false, true, false],
      [false, false, false],
      [false, true, true],
    ]);
    expect(runs[1]!.stderr).toContain("NameError");
    expect(runs[2]!.stdout).toBe("2\n");
  });
});
