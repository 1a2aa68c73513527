/**
 * The host's limits on warm sessions: the cap on live interpreters (least recently used
 * idle one ended), idle eviction, close(), option validation, and runtimes that cannot
 * continue an interpreter.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { createSandbox, createSandboxHost, memoryStorage, PolicyValidationError } from "../../src/index.js";
import { PROGRAMS, WARM_RUNTIMES } from "./programs.js";

const hosts: { close(): Promise<void> }[] = [];
function host(keepAlive?: { maxSessions?: number; idleMs?: number }) {
  const h = createSandboxHost(keepAlive ? { keepAlive } : {});
  hosts.push(h);
  return h;
}
afterAll(() => Promise.all(hosts.map((h) => h.close())));

describe.each(WARM_RUNTIMES)("%s live sessions on a host", (runtime) => {
  const p = PROGRAMS[runtime];

  it("keeps at most maxSessions live interpreters, ending the least recently used", async () => {
    const h = host({ maxSessions: 2 });
    const storage = memoryStorage();
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => createSandbox({ runtime, storage, host: h, keepAlive: true })));
    await a!.execute(p.define);
    await b!.execute(p.define);
    expect(h.liveSessions).toBe(2);
    // a is used again: b is now the least recently used.
    expect((await a!.execute(p.probe)).warm).toBe(true);
    await c!.execute(p.define);
    expect(h.liveSessions).toBe(2);
    const evicted = await b!.execute(p.probe);
    expect(evicted.warm).toBe(false);
    expect(evicted.stdout.trim()).toBe("gone");
    expect(evicted.notes.join("\n")).toMatch(/at most 2 live sessions/);
    // b took a's place (a was least recently used by then); c is still live.
    expect((await c!.execute(p.probe)).warm).toBe(true);
    await Promise.all([a, b, c].map((s) => s!.close()));
    expect(h.liveSessions).toBe(0);
  });

  it("ends a live interpreter left idle for idleMs; the next execution runs cold and says why", async () => {
    const h = host();
    await using sb = await createSandbox({ runtime, storage: memoryStorage(), host: h, keepAlive: { idleMs: 50 } });
    await sb.execute(p.define);
    await vi.waitFor(() => expect(h.liveSessions).toBe(0), { timeout: 10_000, interval: 20 });
    const after = await sb.execute(p.probe);
    expect(after.warm).toBe(false);
    expect(after.stdout.trim()).toBe("gone");
    expect(after.notes.join("\n")).toMatch(/ended after 50 ms idle/);
  });
});

describe("keepAlive", () => {
  it("close() ends the live interpreter; the host's close ends them all", async () => {
    const h = host();
    const one = await createSandbox({ runtime: "lua", storage: memoryStorage(), host: h, keepAlive: true });
    const two = await createSandbox({ runtime: "lua", storage: memoryStorage(), host: h, keepAlive: true });
    await one.execute("x = 1");
    await two.execute("x = 1");
    expect(h.liveSessions).toBe(2);
    await one.close();
    expect(h.liveSessions).toBe(1);
    await h.close();
    expect(h.liveSessions).toBe(0);
  });

  it("runs executions of one sandbox one after another, each continuing the one before", async () => {
    await using sb = await createSandbox({ runtime: "lua", storage: memoryStorage(), host: host(), keepAlive: true });
    await sb.execute("n = 0");
    const results = await Promise.all(Array.from({ length: 5 }, () => sb.execute("n = n + 1; print(n)")));
    expect(results.map((r) => r.stdout.trim()).sort()).toEqual(["1", "2", "3", "4", "5"]);
    expect(results.every((r) => r.warm)).toBe(true);
  });

  it("reports a warm execution's error like a cold one's: the user's frames, not the sandbox's", async () => {
    await using sb = await createSandbox({ runtime: "lua", storage: memoryStorage(), host: host(), keepAlive: true });
    await sb.execute("x = 1");
    const r = await sb.execute("local function f() error('boom') end\nf()");
    expect(r.warm).toBe(true);
    expect(r.stderr).toContain("user_code.lua:1: boom");
    expect(r.stderr).not.toContain("bootstrap");
  });

  it("runs cold with a note in a runtime that cannot continue an interpreter", async () => {
    await using sb = await createSandbox({ runtime: "wasm", storage: memoryStorage(), host: host(), keepAlive: true });
    const r = await sb.execute("(module (func (export \"_start\")))");
    expect(r.warm).toBe(false);
    expect(r.notes.join("\n")).toMatch(/cannot continue a live interpreter; every execution of this session runs cold/);
  });

  it("runs cold when an execution changes the memory cap", async () => {
    await using sb = await createSandbox({ runtime: "lua", storage: memoryStorage(), host: host(), keepAlive: true });
    await sb.execute("x = 1");
    const other = await sb.execute("print(x)", { policy: { memoryBytes: 96 * 1024 * 1024 } });
    expect(other.warm).toBe(false);
    expect(other.stdout.trim()).toBe("nil");
    expect(other.notes.join("\n")).toMatch(/settings \(memory cap/);
  });

  it("refuses bad keepAlive options with a typed error", async () => {
    await expect(createSandbox({ runtime: "lua", storage: memoryStorage(), host: host(), keepAlive: { idleMs: -1 } })).rejects.toBeInstanceOf(PolicyValidationError);
    await expect(createSandbox({ runtime: "lua", storage: memoryStorage(), host: host(), keepAlive: { idle: 5 } as never })).rejects.toBeInstanceOf(PolicyValidationError);
    expect(() => createSandboxHost({ keepAlive: { maxSessions: 0 } })).toThrow(PolicyValidationError);
    expect(() => createSandboxHost({ keepAlive: { idleMs: 1e12 } })).toThrow(PolicyValidationError);
  });
});
