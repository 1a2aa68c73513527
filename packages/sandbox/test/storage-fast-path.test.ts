/**
 * The storage fast path (issue 19), through `sandbox.execute` on disk storage:
 * a run that changes nothing writes, renames and fsyncs nothing — not even a lock
 * file when the adapter may lock in memory (`singleProcess`) — and a run that
 * writes one file is one commit. Checked on the file system itself: every entry
 * under the workspace root keeps its inode, size, mtime and ctime.
 */
import { lstat, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSandbox, diskStorage } from "../src/index.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "llm-sandbox-fast-path-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** Every entry under `dir` (directories included) with what any write, rename or create would change. */
async function fingerprint(dir: string, skip: (rel: string) => boolean = () => false): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = async (abs: string, rel: string): Promise<void> => {
    if (skip(rel)) return;
    const st = await lstat(abs);
    out.set(rel, `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`);
    if (st.isDirectory()) for (const name of await readdir(abs)) await visit(join(abs, name), rel ? `${rel}/${name}` : name);
  };
  await visit(dir, "");
  return out;
}

describe("storage fast path on disk", () => {
  it("singleProcess: a run that changes nothing touches no file or directory under the workspace root (lock included)", async () => {
    const sb = await createSandbox({ runtime: "javascript", sessionId: "quiet", createIfMissing: true, storage: diskStorage({ workspaceRoot: root, singleProcess: true }) });
    await sb.execute('writeText("/app/seed.txt", "seed")');
    // The commit's last step (fsync, removal of .commit/) runs after execute returns; a read waits for it.
    await sb.storage.getSession(sb.sessionId);
    const before = await fingerprint(root);
    for (let i = 0; i < 3; i++) {
      const r = await sb.execute('console.log(readText("/app/seed.txt"))');
      expect(r).toMatchObject({ success: true, stdout: "seed\n", filesCreated: [], filesModified: [], filesDeleted: [] });
    }
    expect(await fingerprint(root)).toEqual(before);
    expect(before.has(".locks")).toBe(false);
  });

  it("default (lock files): a run that changes nothing writes nothing outside .locks/", async () => {
    const sb = await createSandbox({ runtime: "javascript", sessionId: "quiet", createIfMissing: true, workspaceRoot: root });
    await sb.execute('writeText("/app/seed.txt", "seed")');
    await sb.storage.getSession(sb.sessionId);
    const outsideLocks = (rel: string): boolean => rel === ".locks";
    const before = await fingerprint(root, outsideLocks);
    const r = await sb.execute('console.log(readText("/app/seed.txt"))');
    expect(r).toMatchObject({ success: true, stdout: "seed\n" });
    expect(await fingerprint(root, outsideLocks)).toEqual(before);
  });

  it("default (lock files): once a run kept the session's run lock, a run that changes nothing touches no file at all (lock included)", async () => {
    const sb = await createSandbox({ runtime: "javascript", sessionId: "kept", createIfMissing: true, workspaceRoot: root });
    await sb.execute('writeText("/app/seed.txt", "seed")');
    await sb.storage.getSession(sb.sessionId);
    const before = await fingerprint(root);
    for (let i = 0; i < 3; i++) {
      const r = await sb.execute('console.log(readText("/app/seed.txt"))');
      expect(r).toMatchObject({ success: true, stdout: "seed\n", filesCreated: [], filesModified: [], filesDeleted: [] });
    }
    expect(await fingerprint(root)).toEqual(before);
    expect(before.has(".locks/run/kept.lock")).toBe(true);
  });

  it("a run that writes one small file is one commit: version and executionCount each move by one, and it leaves no staging area or temp file", async () => {
    const storage = diskStorage({ workspaceRoot: root, singleProcess: true });
    const sb = await createSandbox({ runtime: "javascript", sessionId: "one", createIfMissing: true, storage });
    const v0 = (await storage.getSession("one"))!;
    const r = await sb.execute('writeText("/app/a.txt", "x".repeat(1024))');
    expect(r).toMatchObject({ success: true, filesCreated: ["a.txt"] });
    const v1 = (await storage.getSession("one"))!;
    expect([v1.version - v0.version, v1.executionCount - v0.executionCount, v1.sizeBytes]).toEqual([1, 1, 1024]);
    // The session's intent slot (storage-disk) stays: later small commits overwrite it in place.
    expect((await readdir(join(root, "one"))).sort()).toEqual([".intent", "files", "session.json"]);
  });
});
