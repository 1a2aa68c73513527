import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CommitPlan, emptyPlan, planCommit, type SessionSnapshot, type StorageAdapter, StorageConflictError, StorageQuotaError } from "@llm-wasm-sandbox/core";
import { diskStorage } from "@llm-wasm-sandbox/storage-disk";
import { memoryStorage } from "@llm-wasm-sandbox/storage-memory";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { beforeEach, describe, expect, it } from "vitest";
import { IDLE_REFRESH_MS, withSessionRun } from "./commit-run.js";
import { sessionLocksReleased, withSessionLock } from "./session-lock.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Counts every call that writes to the adapter. */
function counting(inner: StorageAdapter): StorageAdapter & { writes: string[] } {
  const writes: string[] = [];
  const writing = new Set(["createSession", "updateSession", "deleteSession", "writeFile", "deletePath", "commit"]);
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "writes") return writes;
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        if (writing.has(String(prop))) writes.push(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as StorageAdapter & { writes: string[] };
}

describe("withSessionRun", () => {
  let storage: StorageAdapter & { writes: string[] };
  beforeEach(async () => {
    storage = counting(memoryStorage());
    await storage.createSession(testSessionMetadata("s"));
    storage.writes.length = 0;
  });

  it("a run that changed nothing writes nothing: no commit, no metadata update, counters unchanged", async () => {
    const out = await withSessionRun(storage, "s", async (start) => ({ plan: planCommit(start.entries, { entries: [] }), value: "ran" }));
    expect(out).toMatchObject({ value: "ran", committed: false, replayed: false, commit: { version: 0 } });
    expect(storage.writes).toEqual([]);
    expect(await storage.getSession("s")).toMatchObject({ version: 0, executionCount: 0 });
  });

  it("a run that wrote a file costs exactly one commit, carrying the version, the file and executionCount + 1", async () => {
    const out = await withSessionRun(storage, "s", async (start) => ({
      plan: planCommit(start.entries, { entries: [{ op: "write", path: "a.txt", data: enc.encode("1") }] }),
      value: null,
    }));
    expect(out).toMatchObject({ committed: true, commit: { created: ["a.txt"], version: 1 } });
    expect(storage.writes).toEqual(["commit"]);
    expect(await storage.getSession("s")).toMatchObject({ version: 1, executionCount: 1, fileCount: 1 });
  });

  it("an idle session is refreshed by a run that changed nothing, once", async () => {
    const old = new Date(Date.now() - IDLE_REFRESH_MS - 1000).toISOString();
    await storage.updateSession("s", { updatedAt: old });
    storage.writes.length = 0;
    const body = async () => ({ plan: emptyPlan({ sizeBytes: 0, fileCount: 0 }), value: null });
    expect((await withSessionRun(storage, "s", body)).committed).toBe(true);
    expect((await withSessionRun(storage, "s", body)).committed).toBe(false);
    expect(storage.writes).toEqual(["commit"]);
    const meta = await storage.getSession("s");
    expect(meta?.executionCount).toBe(1);
    expect(Date.parse(meta?.updatedAt ?? old)).toBeGreaterThan(Date.parse(old));
  });

  it("a session changed during the run (lock bypassed) fails the commit with StorageConflictError and keeps the other write", async () => {
    const run = withSessionRun(storage, "s", async (start) => {
      // Another writer that does not take the session lock commits meanwhile.
      await storage.writeFile("s", "log.txt", enc.encode("theirs"));
      return { plan: planCommit(start.entries, { entries: [{ op: "write", path: "log.txt", data: enc.encode("mine") }] }), value: null };
    });
    await expect(run).rejects.toSatisfy(StorageConflictError.isInstance);
    expect(dec.decode(await storage.readFile("s", "log.txt"))).toBe("theirs");
    expect((await storage.getSession("s"))?.executionCount).toBe(0);
  });

  it("a run over the session quota commits nothing and throws StorageQuotaError", async () => {
    const run = withSessionRun(
      storage,
      "s",
      async (start) => ({ plan: planCommit(start.entries, { entries: [{ op: "write", path: "big", data: new Uint8Array(2000) }] }), value: null }),
      { quota: { maxBytes: 1000 } },
    );
    await expect(run).rejects.toSatisfy(StorageQuotaError.isInstance);
    expect(await storage.listFiles("s")).toEqual([]);
    expect(await storage.getSession("s")).toMatchObject({ version: 0, executionCount: 0 });
  });

  it("with an idempotency key the first run's value is stored with its commit and replayed without running again", async () => {
    let runs = 0;
    const idempotency = { key: "req-1", encode: (v: string) => enc.encode(v), decode: (b: Uint8Array) => dec.decode(b) };
    const body = async (start: { entries: Parameters<typeof planCommit>[0] }) => {
      runs++;
      const prev = start.entries.some((e) => e.path === "log.txt") ? dec.decode(await storage.readFile("s", "log.txt")) : "";
      return { plan: planCommit(start.entries, { entries: [{ op: "write", path: "log.txt", data: enc.encode(`${prev}line\n`) }] }), value: `run ${runs}` };
    };
    const first = await withSessionRun(storage, "s", body, { idempotency });
    const again = await withSessionRun(storage, "s", body, { idempotency });
    expect(first).toMatchObject({ value: "run 1", committed: true, replayed: false });
    expect(again).toMatchObject({ value: "run 1", committed: false, replayed: true });
    expect(runs).toBe(1);
    expect(dec.decode(await storage.readFile("s", "log.txt"))).toBe("line\n");
    // A run with a key stores its record even when it changed no file.
    const noop = await withSessionRun(storage, "s", async (start) => ({ plan: planCommit(start.entries, { entries: [] }), value: "noop" }), { idempotency: { ...idempotency, key: "req-2" } });
    expect(noop.committed).toBe(true);
    expect(dec.decode((await storage.readRecord("s", "req-2")) ?? new Uint8Array())).toBe("noop");
  });
});

describe("the session lock of a run", () => {
  it("is released after withSessionRun resolves; the next run of the session in this process waits for it, and sessionLocksReleased for the release", async () => {
    const root = await mkdtemp(join(tmpdir(), "llm-sandbox-run-lock-"));
    try {
      const storage = diskStorage({ workspaceRoot: root });
      await storage.createSession(testSessionMetadata("s"));
      const lockFile = storage.lockPath("s", "run");
      const seen: boolean[] = [];
      // Each run sees its own lock file, never fails on the one of the run before.
      for (let i = 0; i < 5; i++) {
        await withSessionRun(storage, "s", async (start) => {
          seen.push(existsSync(lockFile));
          return { plan: planCommit(start.entries, { entries: [{ op: "write", path: "n.txt", data: enc.encode(String(i)) }] }), value: i };
        });
      }
      await sessionLocksReleased();
      // The run lock is kept for the session's next run (storage-disk keepRunLockMs) until the adapter closes.
      const keptAfterRuns = existsSync(lockFile);
      await storage.close();
      expect([seen, keptAfterRuns, existsSync(lockFile), dec.decode(await storage.readFile("s", "n.txt"))]).toEqual([[true, true, true, true, true], true, false, "4"]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("withSessionLock still returns only once the lock is released, also when its function throws", async () => {
    const root = await mkdtemp(join(tmpdir(), "llm-sandbox-run-lock-"));
    try {
      const storage = diskStorage({ workspaceRoot: root, keepRunLockMs: 0 });
      await storage.createSession(testSessionMetadata("s"));
      const lockFile = storage.lockPath("s", "run");
      await withSessionLock(storage, "s", async () => expect(existsSync(lockFile)).toBe(true));
      expect(existsSync(lockFile)).toBe(false);
      await expect(withSessionLock(storage, "s", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect(existsSync(lockFile)).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("the listing a run starts from", () => {
  const noChange = async (start: SessionSnapshot): Promise<{ plan: CommitPlan; value: string[] }> => ({ plan: planCommit(start.entries, { entries: [] }), value: start.entries.map((e) => e.path) });

  it("a run after one that committed nothing reuses its listing without a new snapshot while the session is unchanged", async () => {
    const inner = memoryStorage();
    await inner.createSession(testSessionMetadata("s"));
    await inner.writeFile("s", "a.txt", enc.encode("a"));
    let snapshots = 0;
    const storage = new Proxy(inner, {
      get: (target, prop, receiver) => (prop === "snapshot" ? (id: string) => (snapshots++, target.snapshot(id)) : Reflect.get(target, prop, receiver)),
    });
    const runs = [await withSessionRun(storage, "s", noChange), await withSessionRun(storage, "s", noChange), await withSessionRun(storage, "s", noChange)];
    expect([runs.map((r) => r.value), snapshots]).toEqual([[["a.txt"], ["a.txt"], ["a.txt"]], 1]);
  });

  it("sees what another adapter committed since (attack: a stale listing hid a file another process wrote)", async () => {
    const root = await mkdtemp(join(tmpdir(), "llm-sandbox-listing-"));
    try {
      const mine = diskStorage({ workspaceRoot: root });
      const theirs = diskStorage({ workspaceRoot: root, keepRunLockMs: 0 });
      await mine.createSession(testSessionMetadata("s"));
      expect((await withSessionRun(mine, "s", noChange)).value).toEqual([]);
      await theirs.writeFile("s", "new.txt", enc.encode("x"));
      expect((await withSessionRun(mine, "s", noChange)).value).toEqual(["new.txt"]);
      await theirs.deletePath("s", "new.txt");
      expect((await withSessionRun(mine, "s", noChange)).value).toEqual([]);
      // A metadata-only update (no new version) is a change too.
      await theirs.updateSession("s", { autoPersistGlobals: true });
      await theirs.writeFile("s", "b.txt", enc.encode("b"));
      expect((await withSessionRun(mine, "s", noChange)).value).toEqual(["b.txt"]);
      await mine.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("a session deleted and created again is listed anew (attack: the old session's files reappeared)", async () => {
    const storage = memoryStorage();
    await storage.createSession(testSessionMetadata("s"));
    await storage.writeFile("s", "old.txt", enc.encode("old"));
    expect((await withSessionRun(storage, "s", noChange)).value).toEqual(["old.txt"]);
    await storage.deleteSession("s");
    await storage.createSession(testSessionMetadata("s"));
    expect((await withSessionRun(storage, "s", noChange)).value).toEqual([]);
  });
});

