import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diskStorage } from "@llm-wasm-sandbox/storage-disk";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pruneSessions } from "./session-admin.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "llm-sandbox-admin-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const longAgo = new Date(Date.now() - 48 * 3_600_000);

describe("pruneSessions on disk storage", () => {
  it("lists a session whose metadata is damaged (or missing) as damaged, and prunes it once it is old", async () => {
    const storage = diskStorage({ workspaceRoot: root });
    await storage.createSession(testSessionMetadata("healthy"));
    for (const id of ["garbled", "no-meta"]) {
      await storage.createSession(testSessionMetadata(id));
      await storage.writeFile(id, "data.txt", new TextEncoder().encode("x"));
    }
    // A commit's last step (its removal of .commit/ moves the directory's mtime) runs after the write
    // resolved; the directories are edited by hand below, so it must be over first (close() waits for it).
    await storage.close();
    await writeFile(join(root, "garbled", "session.json"), "{ not json");
    await rm(join(root, "no-meta", "session.json"));
    const listed = await storage.listSessions();
    expect(listed.map((m) => [m.sessionId, m.damaged !== undefined])).toEqual([
      ["garbled", true],
      ["healthy", false],
      ["no-meta", true],
    ]);
    // Recent: kept. Old: deleted like any other session.
    expect((await pruneSessions({ storage, olderThanHours: 24 })).deletedSessions).toEqual([]);
    for (const id of ["garbled", "no-meta"]) await utimes(join(root, id), longAgo, longAgo);
    const result = await pruneSessions({ storage, olderThanHours: 24 });
    expect(result).toMatchObject({ deletedSessions: ["garbled", "no-meta"], damagedSessions: ["garbled", "no-meta"], keptSessions: 1, errors: [] });
    expect((await readdir(root)).filter((n) => !n.startsWith("."))).toEqual(["healthy"]);
  });

  it("removes what crashes left in the sessions it keeps: temp files beside session.json, interrupted deletions", async () => {
    const storage = diskStorage({ workspaceRoot: root });
    await storage.createSession(testSessionMetadata("kept"));
    await storage.writeFile("kept", "a.txt", new TextEncoder().encode("a"));
    // What a process killed in the middle of replacing session.json, or of deleting a session, leaves.
    await writeFile(join(root, "kept", ".session.json.0123456789ab.tmp"), "{ half");
    await mkdir(join(root, ".trash", "0011223344556677-gone", "files"), { recursive: true });
    const dry = await pruneSessions({ storage, olderThanHours: 24, dryRun: true });
    expect(dry.garbageCollected).toBe(0);
    const result = await pruneSessions({ storage, olderThanHours: 24 });
    expect(result.garbageCollected).toBe(2);
    expect((await readdir(join(root, "kept"))).sort()).toEqual([".intent", "files", "session.json"]);
    expect(await readdir(join(root, ".trash"))).toEqual([]);
    expect(new TextDecoder().decode(await storage.readFile("kept", "a.txt"))).toBe("a");
  });
});
