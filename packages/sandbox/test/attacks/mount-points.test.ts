/**
 * Crafted mount points (issue 22.8): `guestDataPath: "/"` or `"/tmp"` used to be
 * accepted, then every run failed with "host error". Mount points are checked where
 * they are chosen: the policy, `createSandbox` (against the caller's other mounts, before
 * any session is created) and, for the runtime's own mounts, before a run is dispatched.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, PolicyValidationError } from "../../src/index.js";

let data: string;
beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), "mount-points-"));
  await writeFile(join(data, "in.txt"), "mounted data");
});
afterAll(() => rm(data, { recursive: true, force: true }));

async function refusal(p: Promise<unknown>): Promise<PolicyValidationError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!PolicyValidationError.isInstance(e)) throw new Error(`expected a PolicyValidationError, got ${String(e)}`);
  return e;
}

describe.each(["python", "javascript", "ruby", "lua"])("crafted mount points (%s)", (runtime) => {
  it.each(["/", "/tmp", "/tmp/in", "/app", "/data//x"])("refuses guestDataPath %s at createSandbox, creating no session", async (guestDataPath) => {
    const storage = memoryStorage();
    const e = await refusal(createSandbox({ runtime, storage, policy: { mountDataDir: data, guestDataPath } }));
    expect(e.issues.some((i) => i.path === "policy.guestDataPath" || i.path === "guestDataPath")).toBe(true);
    expect(await storage.listSessions()).toEqual([]);
  });

  it("refuses a data mount on, or inside, another mount of the caller's", async () => {
    const storage = memoryStorage();
    const external = { guestPath: "/external", files: { "a.txt": new TextEncoder().encode("a") } };
    for (const guestDataPath of ["/external", "/external/data"]) {
      const e = await refusal(createSandbox({ runtime, storage, mounts: [external], policy: { mountDataDir: data, guestDataPath } }));
      expect(e.issues.map((i) => i.path)).toContain("policy.guestDataPath");
    }
    expect(await storage.listSessions()).toEqual([]);
  });
});

describe("data mounts against the runtime's own mounts", () => {
  it("python: /data holds the runtime's /data/sandbox-lib, so a run is refused with a typed error, not a host error", async () => {
    const sb = await createSandbox({ runtime: "python", storage: memoryStorage(), policy: { mountDataDir: data, guestDataPath: "/data" } });
    const e = await refusal(sb.execute("print(1)"));
    expect(e.message).toContain('"/data"');
  });

  it("javascript: inside the runtime's /data_js is refused the same way", async () => {
    const sb = await createSandbox({ runtime: "javascript", storage: memoryStorage(), policy: { mountDataDir: data, guestDataPath: "/data_js/mine" } });
    const e = await refusal(sb.execute("console.log(1)"));
    expect(e.message).toContain("/data_js");
  });

  it("lua (no mounts of its own): /data is a fine place, and the guest reads it", async () => {
    const sb = await createSandbox({ runtime: "lua", storage: memoryStorage(), policy: { mountDataDir: data, guestDataPath: "/data" } });
    const r = await sb.execute('print(io.open("/data/in.txt"):read("a"))');
    expect(r.stdout).toBe("mounted data\n");
  });
});
