/**
 * session.json is read at the start of every run (getSession, snapshot); a reader reuses
 * the metadata it parsed from the same text. These tests change the file behind the
 * adapter's back: whatever the file says now is what every read returns, a damaged file
 * is reported, and a caller that changes a returned object changes nothing else.
 */
import { readFile, rm, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StorageError } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diskStorage } from "../src/index.js";

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-metadata-parse-"));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

const metaPath = (s: ReturnType<typeof diskStorage>, id: string): string => join(s.filesDir(id), "..", "session.json");

describe("session metadata reads", () => {
  it("returns what session.json says now after it was rewritten in place (same inode, other text)", async () => {
    const s = diskStorage({ workspaceRoot: tmp });
    await s.createSession(testSessionMetadata("s"));
    expect((await s.getSession("s"))?.executionCount).toBe(0);
    const path = metaPath(s, "s");
    const meta = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    // Same length, other value: a check by size (or by inode, as writeFile keeps it) would miss it.
    await writeFile(path, JSON.stringify({ ...meta, executionCount: 7 }));
    expect((await s.getSession("s"))?.executionCount).toBe(7);
    expect((await s.snapshot("s")).metadata.executionCount).toBe(7);
  });

  it("reports damaged metadata written over metadata it parsed before", async () => {
    const s = diskStorage({ workspaceRoot: tmp });
    await s.createSession(testSessionMetadata("s"));
    await s.getSession("s");
    const path = metaPath(s, "s");
    const meta = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...meta, updatedAt: "yesterday" }));
    await expect(s.getSession("s")).rejects.toSatisfy((e: unknown) => StorageError.isInstance(e) && /damaged metadata/.test((e as Error).message));
    await expect(s.snapshot("s")).rejects.toSatisfy(StorageError.isInstance);
  });

  it("hands every caller its own object: changing one changes no later read", async () => {
    const s = diskStorage({ workspaceRoot: tmp });
    await s.createSession(testSessionMetadata("s"));
    const first = await s.getSession("s");
    (first as { executionCount: number }).executionCount = 99;
    const second = await s.getSession("s");
    expect(second?.executionCount).toBe(0);
    (second as { runtime: string }).runtime = "changed";
    expect((await s.snapshot("s")).metadata.runtime).toBe(testSessionMetadata("s").runtime);
  });
});
