/**
 * A host's warm-up at creation (issue 19): `createSandboxHost({ prewarm })` runs each listed
 * runtime once in the background, so the first execute already takes a pre-warmed instance,
 * and none of it shows in the host's storage.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, createSandboxHost, memoryStorage, type SandboxHost } from "../src/index.js";
import { WAT_HELLO } from "./attacks/wat-fragments.js";

const HELLO: Record<string, string> = {
  python: 'print("hello")',
  javascript: 'console.log("hello")',
  ruby: 'puts "hello"',
  lua: 'print("hello")',
  wasm: WAT_HELLO,
};

const hosts: SandboxHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
});

describe.each(Object.keys(HELLO))("%s: a host that pre-warms it", (runtime) => {
  it("warms it up at creation: the first execute takes a pre-warmed instance, the host's storage holds only that session", async () => {
    const storage = memoryStorage();
    const host = createSandboxHost({ storage, pool: { size: 1 }, prewarm: [runtime] });
    hosts.push(host);
    const [result] = await host.warmedUp;
    // The user's own module has nothing to pre-warm, and an empty program is no module.
    expect(result).toMatchObject({ runtime, ready: runtime !== "wasm" });
    const sandbox = await createSandbox({ runtime, host });
    const first = await sandbox.execute(HELLO[runtime]!);
    expect(first.stdout).toBe("hello\n");
    expect(first.prewarmed).toBe(runtime !== "wasm");
    expect((await storage.listSessions()).map((s) => s.sessionId)).toEqual([sandbox.sessionId]);
  }, 300_000);
});

describe("host warm-up", () => {
  it("is nothing without prewarm, and a host closed while warming up closes cleanly", async () => {
    const plain = createSandboxHost({ storage: memoryStorage() });
    hosts.push(plain);
    expect(await plain.warmedUp).toEqual([]);
    const closing = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 }, prewarm: ["lua", "javascript"] });
    await closing.close();
    const results = await closing.warmedUp;
    expect(results.map((r) => r.runtime)).toEqual(["lua", "javascript"]);
    expect(results.every((r) => !r.ready)).toBe(true);
  }, 120_000);
});
