/**
 * Warm sessions (issue 19, `keepAlive`) through `createSandbox`, in every runtime that
 * continues a live interpreter: what lives on, what is reset per execution, and how a
 * stopped execution falls back to the session's files and saved state.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, createSandboxHost, memoryStorage, type SandboxResult } from "../../src/index.js";
import { PROGRAMS, WARM_RUNTIMES, words } from "./programs.js";

const host = createSandboxHost();
afterAll(() => host.close());

function ok(result: SandboxResult): SandboxResult {
  expect(result.stderr).toBe("");
  expect(result.success).toBe(true);
  return result;
}

describe.each(WARM_RUNTIMES)("%s warm session", (runtime) => {
  const p = PROGRAMS[runtime];

  it("keeps a generator, a class instance and a loaded module alive between executions", async () => {
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true });
    const first = ok(await sb.execute(p.define));
    expect(first.warm).toBe(false);
    expect(first.notes.some((n) => n.startsWith("keepAlive"))).toBe(false);
    const second = ok(await sb.execute(p.use));
    expect(second.warm).toBe(true);
    expect(words(second.stdout)).toEqual(p.expected);
    // Cold, the same program finds none of it.
    await using cold = await createSandbox({ runtime, storage: memoryStorage(), host });
    const fresh = await cold.execute(p.probe);
    expect(fresh.stdout.trim()).toBe("gone");
    expect(fresh.warm).toBe(false);
  });

  it("gives every execution the whole fuel budget afresh", async () => {
    await using probe = await createSandbox({ runtime, storage: memoryStorage(), host });
    const one = ok(await probe.execute(p.count(200_000)));
    // Room for one loop, not for two: a budget carried over would run out in the second.
    const fuelBudget = Math.ceil(one.fuelConsumed * 1.6);
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true, policy: { fuelBudget } });
    ok(await sb.execute(p.count(200_000)));
    const again = ok(await sb.execute(p.count(200_000)));
    expect(again.warm).toBe(true);
    const third = ok(await sb.execute(p.count(200_000)));
    expect(third.warm).toBe(true);
    expect(third.fuelConsumed).toBeLessThanOrEqual(fuelBudget);
  });

  it("ends the live interpreter at a timeout: the next execution runs cold from the files and saved state", async () => {
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true, autoPersistGlobals: true });
    ok(await sb.execute(p.persist));
    ok(await sb.execute(p.define));
    // Fuel for minutes, a one-second clock: only the timeout can stop it.
    const stopped = await sb.execute(p.spin, { policy: { timeoutMs: 1000, fuelBudget: 5_000_000_000_000 } });
    expect(stopped.trapReason).toBe("timeout");
    expect(stopped.warm).toBe(true);
    const after = ok(await sb.execute(p.readBack));
    expect(after.warm).toBe(false);
    expect(words(after.stdout)).toEqual(["kept", "41"]);
    expect(after.notes.join("\n")).toMatch(/keepAlive: this execution ran cold .*stopped \(timeout\)/);
    const probe = ok(await sb.execute(p.probe));
    expect(probe.warm).toBe(true);
    expect(probe.stdout.trim()).toBe("gone");
  });

  it("ends the live interpreter at a trap (out of fuel): the next execution runs cold with the files intact", async () => {
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true, autoPersistGlobals: true });
    ok(await sb.execute(p.persist));
    // A small budget and the default 30 s clock: only fuel can stop it.
    const trapped = await sb.execute(p.spin, { policy: { fuelBudget: 50_000_000 } });
    expect(trapped.trapReason).toBe("out_of_fuel");
    const after = ok(await sb.execute(p.readBack));
    expect(after.warm).toBe(false);
    expect(words(after.stdout)).toEqual(["kept", "41"]);
    expect(after.notes.join("\n")).toMatch(/stopped \(out_of_fuel\)/);
  });

  it("runs cold when the session's files were changed by another sandbox, and sees the change", async () => {
    const storage = memoryStorage();
    await using sb = await createSandbox({ runtime, storage, host, keepAlive: true });
    ok(await sb.execute(p.define));
    await using other = await createSandbox({ runtime, storage, host, sessionId: sb.sessionId });
    ok(await other.execute(p.persist.split("\n")[0]!));
    const after = await sb.execute(p.probe);
    expect(after.warm).toBe(false);
    expect(after.stdout.trim()).toBe("gone");
    expect(after.notes.join("\n")).toMatch(/files changed outside this sandbox/);
  });

  it("commits each execution's own changes, exactly as a cold run would", async () => {
    const storage = memoryStorage();
    await using sb = await createSandbox({ runtime, storage, host, keepAlive: true });
    const wrote = ok(await sb.execute(p.persist.split("\n")[0]!));
    expect(wrote.filesCreated).toEqual(["kept.txt"]);
    const again = ok(await sb.execute(p.persist.split("\n")[0]!));
    expect(again.warm).toBe(true);
    // Same bytes written again: nothing changed.
    expect([...again.filesCreated, ...again.filesModified]).toEqual([]);
    expect(new TextDecoder().decode(await storage.readFile(sb.sessionId, "kept.txt"))).toBe("kept");
  });
});

/** Changes the environment and argv (`change`); prints HOME, ADDED and the arguments (`probe`). */
const ENVIRONMENT: Partial<Record<(typeof WARM_RUNTIMES)[number], { change: string; probe: string; expected: (args: string) => string }>> = {
  python: {
    change: `import os, sys\nos.environ["HOME"] = "/elsewhere"\nos.environ["ADDED"] = "1"\nsys.argv.append("extra")`,
    probe: `import os, sys\nprint(os.environ.get("HOME"), os.environ.get("ADDED"), sys.argv[1:])`,
    expected: (arg) => `/app None ['${arg}']\n`,
  },
  ruby: {
    change: `ENV["HOME"] = "/elsewhere"; ENV["ADDED"] = "1"; ARGV << "extra"`,
    probe: `puts [ENV["HOME"], ENV["ADDED"].inspect, ARGV.inspect].join(" ")`,
    expected: (arg) => `/app nil ["${arg}"]\n`,
  },
};

describe("javascript warm session timers", () => {
  it("waits for a timer from its own start, whatever earlier executions waited", { timeout: 60_000 }, async () => {
    await using sb = await createSandbox({ runtime: "javascript", storage: memoryStorage(), host, keepAlive: true });
    ok(await sb.execute("await new Promise((resolve) => setTimeout(resolve, 3000));"));
    // Before, this 10 ms timer was due 3010 ms after the execution's start: the wall clock stopped it.
    const next = ok(await sb.execute("await new Promise((resolve) => setTimeout(resolve, 10)); console.log('fired');", { policy: { timeoutMs: 2000 } }));
    expect([next.warm, next.stdout]).toEqual([true, "fired\n"]);
  });

  it.each([
    ["a timer set before a throw", "setTimeout(() => console.log('LEFTOVER'), 50); throw new Error('first');", true],
    ["an interval, when another timer's callback throws", "setInterval(() => console.log('LEFTOVER'), 20); setTimeout(() => { throw new Error('first'); }, 10);", true],
    ["a promise job queued before a throw (the context is not kept)", "Promise.resolve().then(() => console.log('LEFTOVER')); throw new Error('first');", false],
  ])("runs nothing the previous execution left when it ended on an uncaught error: %s", { timeout: 60_000 }, async (_what, first, warm) => {
    await using sb = await createSandbox({ runtime: "javascript", storage: memoryStorage(), host, keepAlive: true });
    ok(await sb.execute("var kept = 1;"));
    const failed = await sb.execute(first);
    expect([failed.success, failed.stdout]).toEqual([false, ""]);
    const next = ok(await sb.execute("console.log('second');", { policy: { timeoutMs: 5000 } }));
    expect([next.warm, next.stdout]).toEqual([warm, "second\n"]);
  });
});

describe.each(Object.keys(ENVIRONMENT) as (keyof typeof ENVIRONMENT)[])("%s warm session environment", (runtime) => {
  const e = ENVIRONMENT[runtime]!;

  it("starts every execution with the policy's environment and its own arguments, whatever the previous one changed", async () => {
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host, keepAlive: true });
    ok(await sb.execute(e.change, { args: ["a"] }));
    const runs = [
      await sb.execute(e.probe, { args: ["b"] }),
      // The same settings again: the live interpreter's environment is still the policy's.
      await sb.execute(e.probe, { args: ["b"] }),
      ok(await sb.execute(e.change, { args: ["b"] })),
      // Same settings as the run before, but that run changed the environment.
      await sb.execute(e.probe, { args: ["b"] }),
      await sb.execute(e.probe, { args: ["c"] }),
    ];
    expect(runs.map((r) => r.warm)).toEqual([true, true, true, true, true]);
    expect([runs[0], runs[1], runs[3], runs[4]].map((r) => ok(r!).stdout)).toEqual([e.expected("b"), e.expected("b"), e.expected("b"), e.expected("c")]);
  });
});
