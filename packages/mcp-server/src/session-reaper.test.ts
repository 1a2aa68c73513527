import { memoryStorage, type SessionMetadata } from "llm-wasm-sandbox";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { SessionReaper } from "./session-reaper.js";

function meta(sessionId: string, updatedAt: string): SessionMetadata {
  return { sessionId, runtime: "python", createdAt: updatedAt, updatedAt, autoPersistGlobals: false, sizeBytes: 0, fileCount: 0, executionCount: 1, version: 1 };
}

describe("SessionReaper", () => {
  it("deletes idle ephemeral sessions, skips busy ones, and prunes any session past the long TTL", async () => {
    const storage = memoryStorage();
    const now = Date.now();
    const recent = new Date(now).toISOString();
    await storage.createSession(meta("one-off", recent));
    await storage.createSession(meta("one-off-running", recent));
    await storage.createSession(meta("asked-for", recent));
    await storage.createSession(meta("stale", new Date(now - 48 * 3_600_000).toISOString()));
    const reaper = new SessionReaper(storage, { ephemeralTtlMs: 60_000, sessionTtlMs: 24 * 3_600_000 }, pino({ level: "silent" }));
    const deleted: string[] = [];
    reaper.onDelete((id) => deleted.push(id));
    reaper.start(3_600_000, (id) => id === "one-off-running");
    try {
      reaper.touchEphemeral("one-off", now);
      reaper.touchEphemeral("one-off-running", now);
      await reaper.sweep(now + 30_000);
      expect(await storage.getSession("one-off")).not.toBeNull();
      await reaper.sweep(now + 61_000);
      expect(await storage.getSession("one-off")).toBeNull();
      expect(reaper.isEphemeral("one-off")).toBe(false);
      expect(await storage.getSession("one-off-running")).not.toBeNull();
      expect(await storage.getSession("asked-for")).not.toBeNull();
      expect(await storage.getSession("stale")).toBeNull();
      // The service forgets the sandboxes of what was deleted.
      expect(deleted.sort()).toEqual(["one-off", "stale"]);
    } finally {
      await reaper.stop();
    }
  });
});
