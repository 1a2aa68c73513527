/**
 * A commit resolves once it is durable (its intent recorded) and applied; its last
 * step — fsync of the directories it touched, removal of `.commit/` — runs after,
 * under the commit lock (commit-log.ts). Whatever reads the session meanwhile sees
 * the new state whole and never the staging area.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planCommit } from "@llm-wasm-sandbox/core";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DiskCommitPhase, diskStorage } from "../src/index.js";

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-finish-"));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

const text = (s: string) => new TextEncoder().encode(s);

async function commitOne(storage: ReturnType<typeof diskStorage>, content: string): Promise<number> {
  const start = await storage.snapshot("s");
  const result = await storage.commit("s", planCommit(start.entries, { entries: [{ op: "write", path: "out.txt", data: text(content) }] }), { expectedVersion: start.metadata.version });
  return result.version;
}

describe("the last step of a disk commit", () => {
  it("runs after the commit resolved (the caller does not wait for the applied renames' fsync), and close() waits for it", async () => {
    const events: Array<DiskCommitPhase | "resolved"> = [];
    const storage = diskStorage({ workspaceRoot: tmp, onCommitPhase: (phase) => void (phase !== "applied-op" && events.push(phase)) });
    await storage.createSession(testSessionMetadata("s"));
    await commitOne(storage, "one");
    events.push("resolved");
    await storage.close();
    expect(events).toEqual(["staging", "staged", "intent-written", "resolved", "done"]);
  });

  it("a snapshot, a read or metadata taken right after the commit see its state, whole, and no staging area is left behind", async () => {
    const storage = diskStorage({ workspaceRoot: tmp });
    await storage.createSession(testSessionMetadata("s"));
    for (let i = 0; i < 5; i++) {
      const version = await commitOne(storage, `v${i}`);
      const [snapshot, data, meta] = await Promise.all([storage.snapshot("s"), storage.readFile("s", "out.txt"), storage.getSession("s")]);
      expect([snapshot.metadata.version, meta?.version, new TextDecoder().decode(data)]).toEqual([version, version, `v${i}`]);
      expect(await readdir(join(tmp, "s"))).not.toContain(".commit");
    }
  });

  it("another adapter on the same root (another process) waits for it too", async () => {
    const storage = diskStorage({ workspaceRoot: tmp });
    const other = diskStorage({ workspaceRoot: tmp });
    await storage.createSession(testSessionMetadata("s"));
    const version = await commitOne(storage, "mine");
    const snapshot = await other.snapshot("s");
    expect(snapshot.metadata.version).toBe(version);
    expect(await readdir(join(tmp, "s"))).not.toContain(".commit");
  });
});
