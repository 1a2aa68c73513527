import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diskStorage } from "@llm-wasm-sandbox/storage-disk";
import { memoryStorage } from "@llm-wasm-sandbox/storage-memory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSandbox,
  InvalidSessionIdError,
  loadPolicy,
  PolicyValidationError,
  RuntimeNotInstalledError,
  RuntimeRegistry,
  SessionNotFoundError,
} from "../src/index.js";
import { fakeRuntime } from "./fake-runtime.js";

const registry = new RuntimeRegistry();
registry.register(fakeRuntime());
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sandbox-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("createSandbox input errors", () => {
  it("names the unknown runtime and how to add one", async () => {
    const err = await createSandbox({ runtime: "cobol", storage: memoryStorage() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeNotInstalledError);
    expect((err as Error).message).toContain('"cobol"');
    expect((err as Error).message).toContain("registerRuntime");
  });

  it("rejects a negative fuel budget with PolicyValidationError", async () => {
    const err = await createSandbox({ runtime: "fake", registry, storage: memoryStorage(), policy: { fuelBudget: -1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyValidationError);
    expect((err as Error).message).toMatch(/fuelBudget/);
  });

  it.each(["../x", "a/b", "..", "a\\b"])("rejects session id %j before touching storage", async (sessionId) => {
    const storage = memoryStorage();
    const err = await createSandbox({ runtime: "fake", registry, storage, sessionId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidSessionIdError);
    expect(await storage.listSessions()).toEqual([]);
  });

  it("rejects unknown options by name", async () => {
    const err = await createSandbox({ runtime: "fake", registry, fuel: 5 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyValidationError);
    expect((err as Error).message).toContain('"fuel"');
  });

  it("refuses to resume a session that does not exist unless asked to create it", async () => {
    const storage = memoryStorage();
    await expect(createSandbox({ runtime: "fake", registry, storage, sessionId: "nope" })).rejects.toBeInstanceOf(SessionNotFoundError);
    const sb = await createSandbox({ runtime: "fake", registry, storage, sessionId: "nope", createIfMissing: true });
    expect(sb.sessionId).toBe("nope");
  });

  it("with createIfMissing, two creates of one new session at once both get it (memory and disk storage)", async () => {
    for (const storage of [memoryStorage(), diskStorage({ workspaceRoot: await mkdtemp(join(dir, "race-")) })]) {
      for (let i = 0; i < 5; i++) {
        const both = await Promise.all([0, 1].map(() => createSandbox({ runtime: "fake", registry, storage, sessionId: `conv-${i}`, createIfMissing: true, autoPersistGlobals: true })));
        expect(both.map((sb) => sb.sessionId)).toEqual([`conv-${i}`, `conv-${i}`]);
        expect((await storage.getSession(`conv-${i}`))?.autoPersistGlobals).toBe(true);
      }
      expect((await storage.listSessions()).length).toBe(5);
    }
  });

  it("rejects non-string code", async () => {
    const sb = await createSandbox({ runtime: "fake", registry, storage: memoryStorage() });
    await expect(sb.execute(42 as never)).rejects.toBeInstanceOf(PolicyValidationError);
  });
});

describe("loadPolicy", () => {
  it("reads snake_case and camelCase keys and an [env] table", async () => {
    const file = join(dir, "ok.toml");
    await writeFile(file, 'fuel_budget = 1_000\nmemoryBytes = 67108864\n[env]\nGREETING = "hi"\n');
    const p = await loadPolicy(file);
    expect(p.fuelBudget).toBe(1000);
    expect(p.memoryBytes).toBe(67108864);
    expect(p.env).toEqual({ GREETING: "hi" });
    expect(p.timeoutMs).toBe(30_000);
  });

  it("names an unknown key and the file", async () => {
    const file = join(dir, "bad.toml");
    await writeFile(file, "[policy]\nfuel_budgt = 5\n");
    const err = await loadPolicy(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyValidationError);
    expect((err as Error).message).toContain('unknown key "fuelBudgt"');
    expect((err as Error).message).toContain("bad.toml");
  });

  it("reports TOML syntax errors with a line number", async () => {
    const file = join(dir, "syntax.toml");
    await writeFile(file, "fuel_budget = = 3\n");
    await expect(loadPolicy(file)).rejects.toThrow(/line 1/);
  });
});

describe("Sandbox.execute", () => {
  it("commits files and reports them, hiding internal state files", async () => {
    const sb = await createSandbox({ runtime: "fake", registry, storage: memoryStorage() });
    const r = await sb.execute("write out.txt hello\nwrite .llm-sandbox/state.json {}\nprint done");
    expect(r.success).toBe(true);
    expect(r.filesCreated).toEqual(["out.txt"]);
    expect(r.sessionId).toBe(sb.sessionId);
    expect(r.fuelAnalysis.status).toBe("efficient");
    expect(r.errorGuidance).toBeNull();
    const again = await sb.execute("cat out.txt\nwrite out.txt bye");
    expect(again.stdout).toBe("hello");
    expect(again.filesModified).toEqual(["out.txt"]);
  });

  it("turns failures into guidance and traps into trapped results", async () => {
    const sb = await createSandbox({ runtime: "fake", registry, storage: memoryStorage() });
    const failed = await sb.execute("fail boom");
    expect(failed.success).toBe(false);
    expect(failed.errorGuidance?.errorType).toBe("FakeError");
    const trapped = await sb.execute("spin", { policy: { fuelBudget: 1_000_000 } });
    expect(trapped.trapped).toBe(true);
    expect(trapped.success).toBe(false);
    expect(trapped.errorGuidance?.errorType).toBe("OutOfFuel");
    expect(trapped.fuelAnalysis.status).toBe("exhausted");
  });

  it("resumes a session by id and sees its files", async () => {
    const storage = memoryStorage();
    const a = await createSandbox({ runtime: "fake", registry, storage });
    await a.execute("write data.txt kept");
    const b = await createSandbox({ runtime: "fake", registry, storage, sessionId: a.sessionId });
    expect((await b.execute("cat data.txt")).stdout).toBe("kept");
  });

  it("never interleaves 20 concurrent executions of one session (no lost line)", async () => {
    const sb = await createSandbox({ runtime: "fake", registry, workspaceRoot: join(dir, "ws") });
    await Promise.all(Array.from({ length: 20 }, (_, i) => sb.execute(`append log.txt line-${i}`)));
    const lines = (await sb.execute("cat log.txt")).stdout.trim().split("\n");
    expect(lines).toHaveLength(20);
    expect(new Set(lines).size).toBe(20);
  });

  it("applies per-call policy overrides, validated", async () => {
    const sb = await createSandbox({ runtime: "fake", registry, storage: memoryStorage(), policy: { fuelBudget: 1000 } });
    const r = await sb.execute("print x", { policy: { fuelBudget: 10_000 } });
    expect(r.fuelAnalysis.budget).toBe(10_000);
    await expect(sb.execute("print x", { policy: { fuelBudget: 0 } })).rejects.toBeInstanceOf(PolicyValidationError);
  });
});
