import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  FileNotFoundError,
  InvalidPathError,
  InvalidSessionIdError,
  LogEvent,
  PolicyValidationError,
  type SandboxLogger,
  SessionNotFoundError,
  type StorageAdapter,
} from "@llm-wasm-sandbox/core";
import { diskStorage } from "@llm-wasm-sandbox/storage-disk";
import { memoryStorage } from "@llm-wasm-sandbox/storage-memory";
import { HOSTILE_PATHS, HOSTILE_SESSION_IDS, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  deleteSessionPath,
  deleteSessionWorkspace,
  getSessionInfo,
  listSessionFiles,
  pruneSessions,
  readSessionFile,
  resolveStorage,
  withSessionLock,
  writeSessionFile,
} from "./index.js";

const tmpDirs: string[] = [];
const tempRoot = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), "llm-sandbox-sessions-"));
  tmpDirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

function recordingLogger(): SandboxLogger & { events: Array<Record<string, unknown>> } {
  const events: Array<Record<string, unknown>> = [];
  const log = (fields: Record<string, unknown>): void => {
    events.push(fields);
  };
  return { events, debug: log, info: log, warn: log, error: log };
}

const adapters: Array<[string, () => Promise<StorageAdapter>]> = [
  ["memory", async () => memoryStorage()],
  ["disk", async () => diskStorage({ workspaceRoot: await tempRoot() })],
];

describe.each(adapters)("session API over %s storage", (_name, make) => {
  let storage: StorageAdapter;
  beforeEach(async () => {
    storage = await make();
    await storage.createSession(testSessionMetadata("s1"));
  });

  it("writes, reads, lists and deletes files", async () => {
    const logger = recordingLogger();
    await writeSessionFile("s1", "data/in.csv", "a,b\n1,2\n", { storage, logger });
    await writeSessionFile("s1", "/app/bin.dat", new Uint8Array([0, 255]), { storage });
    expect(await readSessionFile("s1", "data/in.csv", { storage, encoding: "utf8" })).toBe("a,b\n1,2\n");
    expect(Array.from(await readSessionFile("s1", "bin.dat", { storage }))).toEqual([0, 255]);
    expect((await listSessionFiles("s1", { storage })).map((e) => e.path)).toEqual(["bin.dat", "data", "data/in.csv"]);
    expect(await deleteSessionPath("s1", "data", { storage, logger })).toBe(true);
    expect(await deleteSessionPath("s1", "data", { storage })).toBe(false);
    await expect(readSessionFile("s1", "data/in.csv", { storage })).rejects.toSatisfy(FileNotFoundError.isInstance);
    expect(logger.events.map((e) => e.event)).toEqual([LogEvent.SESSION_FILE_WRITTEN, LogEvent.SESSION_FILE_DELETED]);
  });

  it("hides the sandbox's internal files unless asked", async () => {
    await writeSessionFile("s1", ".llm-sandbox/state.json", "{}", { storage });
    await writeSessionFile("s1", "visible.txt", "v", { storage });
    expect((await listSessionFiles("s1", { storage })).map((e) => e.path)).toEqual(["visible.txt"]);
    expect((await listSessionFiles("s1", { storage, includeInternal: true })).map((e) => e.path)).toEqual([".llm-sandbox", ".llm-sandbox/state.json", "visible.txt"]);
  });

  it("rejects hostile paths with InvalidPathError and writes nothing", async () => {
    for (const p of HOSTILE_PATHS) {
      await expect(writeSessionFile("s1", p, "x", { storage })).rejects.toSatisfy(InvalidPathError.isInstance);
      await expect(readSessionFile("s1", p, { storage })).rejects.toSatisfy(InvalidPathError.isInstance);
      await expect(deleteSessionPath("s1", p, { storage })).rejects.toSatisfy(InvalidPathError.isInstance);
    }
    expect(await listSessionFiles("s1", { storage, includeInternal: true })).toEqual([]);
  });

  it("rejects non-canonical session ids with InvalidSessionIdError and touches nothing", async () => {
    for (const id of HOSTILE_SESSION_IDS) {
      await expect(writeSessionFile(id, "a.txt", "x", { storage, createIfMissing: true })).rejects.toSatisfy(InvalidSessionIdError.isInstance);
      await expect(getSessionInfo(id, { storage })).rejects.toSatisfy(InvalidSessionIdError.isInstance);
      await expect(deleteSessionWorkspace(id, { storage })).rejects.toSatisfy(InvalidSessionIdError.isInstance);
      await expect(listSessionFiles(id, { storage })).rejects.toSatisfy(InvalidSessionIdError.isInstance);
    }
    expect((await storage.listSessions()).map((m) => m.sessionId)).toEqual(["s1"]);
  });

  it("refuses unknown sessions unless createIfMissing", async () => {
    await expect(writeSessionFile("nope", "a.txt", "x", { storage })).rejects.toSatisfy(SessionNotFoundError.isInstance);
    await expect(readSessionFile("nope", "a.txt", { storage })).rejects.toSatisfy(SessionNotFoundError.isInstance);
    await expect(getSessionInfo("nope", { storage })).rejects.toSatisfy(SessionNotFoundError.isInstance);
    expect(await storage.getSession("nope")).toBeNull();
    const logger = recordingLogger();
    await writeSessionFile("nope", "a.txt", "x", { storage, createIfMissing: true, runtime: "lua", logger });
    expect((await getSessionInfo("nope", { storage })).runtime).toBe("lua");
    expect(logger.events.map((e) => e.event)).toEqual([LogEvent.SESSION_CREATED, LogEvent.SESSION_FILE_WRITTEN]);
  });

  it("reports session info with sizes", async () => {
    await writeSessionFile("s1", "a.txt", "12345", { storage });
    const info = await getSessionInfo("s1", { storage });
    expect(info).toMatchObject({ sessionId: "s1", sizeBytes: 5, fileCount: 1 });
  });

  it("deletes a whole session workspace and logs it", async () => {
    const logger = recordingLogger();
    await writeSessionFile("s1", "a.txt", "x", { storage });
    expect(await deleteSessionWorkspace("s1", { storage, logger })).toBe(true);
    expect(await deleteSessionWorkspace("s1", { storage, logger })).toBe(false);
    expect(await storage.getSession("s1")).toBeNull();
    expect(logger.events).toEqual([{ event: LogEvent.SESSION_DELETED, sessionId: "s1" }]);
  });

  it("prunes sessions older than the cutoff, with a dry run first", async () => {
    const old = new Date(Date.now() - 48 * 3_600_000).toISOString();
    await storage.createSession(testSessionMetadata("old", { createdAt: old, updatedAt: old }));
    await storage.writeFile("old", "f.bin", new Uint8Array(700));
    // writeFile may bump updatedAt on some adapters; pin it back.
    await storage.updateSession("old", { updatedAt: old });
    const dry = await pruneSessions({ storage, olderThanHours: 24, dryRun: true });
    expect(dry).toEqual({ deletedSessions: ["old"], damagedSessions: [], garbageCollected: 0, keptSessions: 1, reclaimedBytes: 700, dryRun: true, errors: [] });
    expect(await storage.getSession("old")).not.toBeNull();
    const logger = recordingLogger();
    const real = await pruneSessions({ storage, olderThanHours: 24, logger });
    expect(real).toMatchObject({ deletedSessions: ["old"], keptSessions: 1, reclaimedBytes: 700, dryRun: false });
    expect(await storage.getSession("old")).toBeNull();
    expect(await storage.getSession("s1")).not.toBeNull();
    expect(logger.events.map((e) => e.event)).toEqual([LogEvent.SESSION_DELETED, LogEvent.PRUNE]);
  });

  it("rejects bad prune options with PolicyValidationError", async () => {
    await expect(pruneSessions({ storage, olderThanHours: -1 })).rejects.toSatisfy(PolicyValidationError.isInstance);
    await expect(pruneSessions({ storage, olderThanHours: Number.NaN })).rejects.toSatisfy(PolicyValidationError.isInstance);
    expect(await storage.getSession("s1")).not.toBeNull();
  });

  it("20 concurrent read-modify-write appends under withSessionLock lose no line", async () => {
    await writeSessionFile("s1", "log.txt", "", { storage });
    const append = (i: number) =>
      withSessionLock(storage, "s1", async () => {
        const current = await readSessionFile("s1", "log.txt", { storage, encoding: "utf8" });
        await storage.writeFile("s1", "log.txt", new TextEncoder().encode(`${current}line ${i}\n`));
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(i)));
    const lines = (await readSessionFile("s1", "log.txt", { storage, encoding: "utf8" })).trim().split("\n");
    expect(lines).toHaveLength(20);
    expect(new Set(lines).size).toBe(20);
  });
});

describe("withSessionLock", () => {
  it("without the lock the same appends lose lines (the lock is what prevents it)", async () => {
    const storage = memoryStorage();
    await storage.createSession(testSessionMetadata("race"));
    await storage.writeFile("race", "log.txt", new Uint8Array(0));
    const append = async (i: number): Promise<void> => {
      const current = new TextDecoder().decode(await storage.readFile("race", "log.txt"));
      await storage.writeFile("race", "log.txt", new TextEncoder().encode(`${current}line ${i}\n`));
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(i)));
    const lines = new TextDecoder().decode(await storage.readFile("race", "log.txt")).trim().split("\n");
    expect(lines.length).toBeLessThan(20);
  });

  it("serializes two disk adapters on one root through the cross-process lock file", async () => {
    const root = await tempRoot();
    const a = diskStorage({ workspaceRoot: root });
    const b = diskStorage({ workspaceRoot: root });
    await a.createSession(testSessionMetadata("shared"));
    await a.writeFile("shared", "log.txt", new Uint8Array(0));
    const append = (s: StorageAdapter, i: number) =>
      withSessionLock(s, "shared", async () => {
        const current = new TextDecoder().decode(await s.readFile("shared", "log.txt"));
        await s.writeFile("shared", "log.txt", new TextEncoder().encode(`${current}line ${i}\n`));
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(i % 2 === 0 ? a : b, i)));
    const lines = new TextDecoder().decode(await a.readFile("shared", "log.txt")).trim().split("\n");
    expect(lines).toHaveLength(20);
  });

  it("releases the lock when the function throws", async () => {
    const storage = memoryStorage();
    await expect(withSessionLock(storage, "x", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(withSessionLock(storage, "x", async () => "next")).resolves.toBe("next");
  });

  it("rejects a hostile session id", async () => {
    await expect(withSessionLock(memoryStorage(), "../evil", async () => 1)).rejects.toSatisfy(InvalidSessionIdError.isInstance);
  });
});

describe("resolveStorage", () => {
  it("returns the given adapter, ignoring workspaceRoot", () => {
    const storage = memoryStorage();
    expect(resolveStorage({ storage, workspaceRoot: "/nonexistent" })).toBe(storage);
  });

  it("defaults to one shared disk adapter per workspace root", async () => {
    const root = await tempRoot();
    const a = resolveStorage({ workspaceRoot: root });
    expect(a.kind).toBe("disk");
    expect(resolveStorage({ workspaceRoot: `${root}/.` })).toBe(a);
    expect(resolveStorage({ workspaceRoot: await tempRoot() })).not.toBe(a);
  });

  it("rejects something that is not a storage adapter", () => {
    expect(() => resolveStorage({ storage: { kind: "fake" } as unknown as StorageAdapter })).toThrow(PolicyValidationError);
    expect(() => resolveStorage({ workspaceRoot: "" })).toThrow(PolicyValidationError);
  });
});
