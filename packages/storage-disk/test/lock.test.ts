import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { StorageConflictError } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DiskStorage, diskStorage } from "../src/index.js";

let tmp: string;
let s: DiskStorage;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-lock-"));
  s = diskStorage({ workspaceRoot: tmp, staleLockMs: 60_000 });
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function plantLock(sessionId: string, owner: { pid: number; host: string; acquiredAt: number }): Promise<void> {
  await mkdir(join(tmp, ".locks", "run"), { recursive: true });
  await writeFile(s.lockPath(sessionId, "run"), JSON.stringify({ ...owner, token: "planted" }));
}

describe("disk lock()", () => {
  it("is exclusive until released, also between two adapters on one root", async () => {
    const other = diskStorage({ workspaceRoot: tmp });
    const release = await s.lock!("sess");
    await expect(other.lock!("sess", { timeoutMs: 100 })).rejects.toSatisfy(StorageConflictError.isInstance);
    await release();
    const again = await other.lock!("sess", { timeoutMs: 1000 });
    await again();
  });

  it("locks different sessions independently", async () => {
    const a = await s.lock!("a");
    const b = await s.lock!("b", { timeoutMs: 100 });
    await a();
    await b();
  });

  it("hands the lock to a waiter once released", async () => {
    const release = await s.lock!("w");
    const waiter = s.lock!("w", { timeoutMs: 5000 });
    await release();
    await (await waiter)();
  });

  it("takes over a lock whose owner process is dead", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid as number;
    await plantLock("stale", { pid: dead, host: hostname(), acquiredAt: Date.now() });
    const release = await s.lock!("stale", { timeoutMs: 2000 });
    await release();
  });

  it("takes over a dead owner's lock at once even when a taker died holding its take-over guard", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid as number;
    await plantLock("guarded", { pid: dead, host: hostname(), acquiredAt: Date.now() });
    const guard = `${s.lockPath("guarded", "run")}.takeover`;
    await writeFile(guard, JSON.stringify({ pid: dead, host: hostname(), token: "dead-taker", acquiredAt: Date.now() }));
    // With the guard judged by its age only, this waited 10 s (or timed out, now that the timeout holds on this path).
    const release = await s.lock!("guarded", { timeoutMs: 2000 });
    await release();
    await expect(stat(guard)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("keeps its timeout while a live taker holds the take-over guard of a stale lock", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid as number;
    await plantLock("held-guard", { pid: dead, host: hostname(), acquiredAt: Date.now() });
    const guard = `${s.lockPath("held-guard", "run")}.takeover`;
    await writeFile(guard, JSON.stringify({ pid: process.pid, host: hostname(), token: "live-taker", acquiredAt: Date.now() }));
    await expect(s.lock!("held-guard", { timeoutMs: 200 })).rejects.toSatisfy(StorageConflictError.isInstance);
    expect(JSON.parse(await readFile(guard, "utf8")).token).toBe("live-taker");
  });

  it("respects a fresh lock held from another host, and takes it over once stale", async () => {
    await plantLock("remote", { pid: 1, host: "some-other-host", acquiredAt: Date.now() });
    await expect(s.lock!("remote", { timeoutMs: 100 })).rejects.toSatisfy(StorageConflictError.isInstance);
    await plantLock("remote", { pid: 1, host: "some-other-host", acquiredAt: Date.now() - 120_000 });
    const release = await s.lock!("remote", { timeoutMs: 2000 });
    await release();
  });

  it("writes its owner into the lock file while the caller goes on, and a fresh lock file without an owner yet counts as held", async () => {
    const release = await s.lock!("owner");
    const other = diskStorage({ workspaceRoot: tmp });
    await expect(other.lock!("owner", { timeoutMs: 100 })).rejects.toSatisfy(StorageConflictError.isInstance);
    const owner = JSON.parse(await readFile(s.lockPath("owner", "run"), "utf8")) as { pid: number };
    expect(owner.pid).toBe(process.pid);
    await release();
    // Caught between create and write (as another process may find it): empty, fresh, held.
    await mkdir(join(tmp, ".locks", "run"), { recursive: true });
    await writeFile(s.lockPath("empty", "run"), "");
    await expect(s.lock!("empty", { timeoutMs: 100 })).rejects.toSatisfy(StorageConflictError.isInstance);
  });

  it("treats an unreadable, long-abandoned lock file as stale", async () => {
    await mkdir(join(tmp, ".locks", "run"), { recursive: true });
    const path = s.lockPath("junk", "run");
    await writeFile(path, "");
    const old = new Date(Date.now() - 3_600_000);
    await utimes(path, old, old);
    const release = await s.lock!("junk", { timeoutMs: 2000 });
    await release();
  });

  it("lock names are injective in the session id (attack: session X.commit's run lock was session X's commit lock)", async () => {
    await s.createSession(testSessionMetadata("victim"));
    await s.createSession(testSessionMetadata("victim.commit"));
    // The attacker holds a long run in "victim.commit"; the victim's commits must not wait on it.
    const attacker = await s.lock("victim.commit");
    const other = diskStorage({ workspaceRoot: tmp, lockTimeoutMs: 200 });
    try {
      await other.writeFile("victim", "mine.txt", new TextEncoder().encode("not lost"));
      const release = await other.lock("victim", { timeoutMs: 200 });
      await release();
    } finally {
      await attacker();
    }
    expect(new TextDecoder().decode(await s.readFile("victim", "mine.txt"))).toBe("not lost");
    // Every (id, purpose) pair gets its own file, across ids that extend each other.
    const ids = ["x", "x.lock", "x.commit", "x.commit.lock", "x.lock.takeover", "run", "commit"];
    const paths = ids.flatMap((id) => [s.lockPath(id, "run"), s.lockPath(id, "commit")]);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("a release never removes a lock another process took over meanwhile (attack: a late release freed the new owner's lock)", async () => {
    const release = await s.lock("taken");
    // Judged stale elsewhere: removed and created anew by another owner.
    await rm(s.lockPath("taken", "run"));
    await plantLock("taken", { pid: process.pid, host: hostname(), acquiredAt: Date.now() });
    await release();
    await expect(readFile(s.lockPath("taken", "run"), "utf8")).resolves.toContain("planted");
    await expect(s.lock("taken", { timeoutMs: 100 })).rejects.toSatisfy(StorageConflictError.isInstance);
  });

  it("a lock is removed on release (kept run locks: by close) and can be taken again after the lock directory was deleted", async () => {
    await (await s.lock("again"))();
    await s.close();
    await expect(stat(s.lockPath("again", "run"))).rejects.toMatchObject({ code: "ENOENT" });
    const once = diskStorage({ workspaceRoot: tmp, keepRunLockMs: 0 });
    await (await once.lock("at-once"))();
    await expect(stat(once.lockPath("at-once", "run"))).rejects.toMatchObject({ code: "ENOENT" });
    await rm(join(tmp, ".locks"), { recursive: true });
    const release = await s.lock("again", { timeoutMs: 1000 });
    await expect(stat(s.lockPath("again", "run"))).resolves.toBeDefined();
    await release();
  });

  it("rejects an invalid session id before touching the disk", async () => {
    await expect(s.lock!("../x")).rejects.toThrow(/invalid session id/);
  });
});
