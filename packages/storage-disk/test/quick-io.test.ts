/**
 * Which commits make their lstats synchronously (fs-io.ts): only those whose number
 * of calls is small and fixed by the plan. A guest that writes many files or a deep
 * path gets every call through the thread pool, so the main thread never works in
 * proportion to what it chose.
 */
import { closeSync, fstatSync, openSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planCommit, type WorkspaceEntry } from "@llm-wasm-sandbox/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ioFor, QUICK_COMMIT_CALLS } from "../src/commit-log.js";
import { asyncIo, quickIo } from "../src/fs-io.js";
import { diskStorage } from "../src/index.js";

const write = (path: string, bytes = 16) => ({ op: "write" as const, path, data: new Uint8Array(bytes) });

describe("ioFor: quick (synchronous) calls only for small commits", () => {
  it("one small file is a quick commit", () => {
    expect(ioFor(planCommit([], { entries: [write("out.txt", 1024)] }))).toBe(quickIo);
  });

  it("rejects a flood of files: more than QUICK_COMMIT_CALLS path components go through the thread pool", () => {
    const entries = Array.from({ length: QUICK_COMMIT_CALLS + 1 }, (_, i) => write(`f${i}.txt`));
    expect(ioFor(planCommit([], { entries }))).toBe(asyncIo);
    expect(ioFor(planCommit([], { entries: entries.slice(0, QUICK_COMMIT_CALLS) }))).toBe(quickIo);
  });

  it("rejects a deep path: each component counts as a call", () => {
    const deep = Array.from({ length: QUICK_COMMIT_CALLS }, (_, i) => `d${i}`).join("/");
    expect(ioFor(planCommit([], { entries: [write(`${deep}/f.txt`)] }))).toBe(asyncIo);
  });

  it("a removal counts like any path: a deep one goes through the thread pool", () => {
    const deep = Array.from({ length: QUICK_COMMIT_CALLS + 1 }, (_, i) => `d${i}`).join("/");
    const before: WorkspaceEntry[] = [{ path: deep, type: "file", size: 1, mtimeMs: 0 }];
    expect(ioFor(planCommit(before, { entries: [{ op: "delete", path: deep }] }))).toBe(asyncIo);
    expect(ioFor(planCommit([{ path: "a.txt", type: "file", size: 1, mtimeMs: 0 }], { entries: [{ op: "delete", path: "a.txt" }] }))).toBe(quickIo);
  });
});

describe("lock release", () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-quick-io-"));
  });
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  it("releasing twice is harmless: the second call neither throws nor touches a descriptor reused since", async () => {
    const s = diskStorage({ workspaceRoot: tmp });
    const release = await s.lock("sess");
    await release();
    // Likely gets the lock file's old descriptor number.
    const fd = openSync(join(tmp, "probe.txt"), "w");
    try {
      await release();
      expect(fstatSync(fd).isFile()).toBe(true);
    } finally {
      closeSync(fd);
    }
  });
});
