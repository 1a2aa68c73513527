/**
 * `singleProcess: true`: sessions are locked in memory, so taking and releasing
 * a lock touches no file — and the locks still exclude every adapter on the same
 * root in this process, time out as a typed conflict, and keep their queue.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StorageConflictError } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DiskStorage, diskStorage } from "../src/index.js";

let tmp: string;
let s: DiskStorage;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-single-"));
  s = diskStorage({ workspaceRoot: tmp, singleProcess: true });
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("disk storage with singleProcess", () => {
  it("lock() excludes a second adapter on the same root, and creates no lock file", async () => {
    const other = diskStorage({ workspaceRoot: tmp, singleProcess: true });
    const release = await s.lock("sess");
    await expect(other.lock("sess", { timeoutMs: 50 })).rejects.toSatisfy((e: unknown) => StorageConflictError.isInstance(e) && e.message.includes("in use"));
    expect(existsSync(join(tmp, ".locks"))).toBe(false);
    await release();
    const again = await other.lock("sess", { timeoutMs: 1000 });
    await again();
  });

  it("a waiter that timed out leaves the queue: the next waiter gets the lock once it is released", async () => {
    const first = await s.lock("q");
    const gaveUp = s.lock("q", { timeoutMs: 20 });
    const next = s.lock("q", { timeoutMs: 5_000 });
    await expect(gaveUp).rejects.toSatisfy(StorageConflictError.isInstance);
    let got = false;
    void next.then(() => (got = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(got).toBe(false);
    await first();
    await (await next)();
  });

  it("different roots and different sessions do not share a lock", async () => {
    const otherRoot = await mkdtemp(join(tmpdir(), "llm-sandbox-single-b-"));
    try {
      const a = await s.lock("x");
      const b = await diskStorage({ workspaceRoot: otherRoot, singleProcess: true }).lock("x", { timeoutMs: 50 });
      const c = await s.lock("y", { timeoutMs: 50 });
      await Promise.all([a(), b(), c()]);
    } finally {
      await rm(otherRoot, { recursive: true, force: true });
    }
  });

  it("commits serialize through the in-process commit lock: 20 concurrent host-side writes from two adapters all land", async () => {
    await s.createSession(testSessionMetadata("w"));
    const other = diskStorage({ workspaceRoot: tmp, singleProcess: true });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? s : other).writeFile("w", `f${i}.txt`, new Uint8Array([i]))));
    const meta = await s.getSession("w");
    expect(meta?.fileCount).toBe(20);
    expect(meta?.version).toBe(20);
    expect((await readdir(join(tmp, "w", "files"))).length).toBe(20);
    expect(existsSync(join(tmp, ".locks"))).toBe(false);
  });
});
