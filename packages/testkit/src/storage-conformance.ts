import {
  FileNotFoundError,
  InvalidPathError,
  InvalidSessionIdError,
  planCommit,
  PolicyValidationError,
  SandboxError,
  SessionExistsError,
  SessionNotFoundError,
  type SessionMetadata,
  type StorageAdapter,
} from "@llm-wasm-sandbox/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ConformanceSuite, describeCommitConformance } from "./storage-conformance-commit.js";
import { describeVersionConformance } from "./storage-conformance-version.js";
import { HOSTILE_PATHS, HOSTILE_SESSION_IDS } from "./hostile-inputs.js";

export { HOSTILE_PATHS, HOSTILE_SESSION_IDS };

/** What a storage conformance factory hands the suite: a fresh, empty adapter and a way to dispose of it. */
export interface StorageUnderTest {
  readonly adapter: StorageAdapter;
  /**
   * A second adapter over the same backing store, as another process would open it
   * (disk: same root; S3: same bucket and prefix). Enables the cross-adapter tests;
   * omit it for stores that live inside one adapter (memory).
   */
  readonly sibling?: () => StorageAdapter;
  /** Closes the adapter (if the test did not) and removes whatever the factory created (temp dirs, buckets, servers). */
  cleanup(): Promise<void>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (s: string): Uint8Array => enc.encode(s);

/** Session metadata for tests: defaults plus overrides. */
export function testSessionMetadata(sessionId: string, overrides: Partial<SessionMetadata> = {}): SessionMetadata {
  const now = new Date().toISOString();
  return {
    sessionId,
    runtime: "python",
    createdAt: now,
    updatedAt: now,
    autoPersistGlobals: false,
    sizeBytes: 0,
    fileCount: 0,
    executionCount: 0,
    version: 0,
    ...overrides,
  };
}

/**
 * The storage adapter contract as a vitest `describe` block. Run it from a short
 * test file in the adapter's package:
 *
 * ```ts
 * describeStorageConformance("memory", async () => {
 *   const adapter = memoryStorage();
 *   return { adapter, cleanup: () => adapter.close() };
 * });
 * ```
 *
 * The factory is called once per test and must return an empty adapter.
 */
export function describeStorageConformance(name: string, factory: () => Promise<StorageUnderTest>): void {
  describe(`storage conformance: ${name}`, () => {
    let sut: StorageUnderTest;
    let s: StorageAdapter;
    const siblings: StorageAdapter[] = [];
    beforeEach(async () => {
      sut = await factory();
      s = sut.adapter;
    });
    afterEach(async () => {
      for (const sib of siblings.splice(0)) await sib.close();
      await sut.cleanup();
    });

    const create = async (id: string, overrides: Partial<SessionMetadata> = {}): Promise<SessionMetadata> => {
      const meta = testSessionMetadata(id, overrides);
      await s.createSession(meta);
      return meta;
    };
    const suite: ConformanceSuite = {
      get s() {
        return s;
      },
      create,
      sibling: () => {
        if (!sut.sibling) return null;
        const sib = sut.sibling();
        siblings.push(sib);
        return sib;
      },
    };

    describe("sessions", () => {
      it("creates, gets, updates, lists and deletes a session", async () => {
        expect(await s.getSession("s1")).toBeNull();
        const meta = await create("s1", { runtime: "lua", createdAt: "2024-01-01T00:00:00.000Z" });
        const got = await s.getSession("s1");
        expect(got).toMatchObject({ sessionId: "s1", runtime: "lua", createdAt: meta.createdAt, sizeBytes: 0, fileCount: 0 });
        const updated = await s.updateSession("s1", { executionCount: 3, autoPersistGlobals: true });
        expect(updated.executionCount).toBe(3);
        expect(updated.autoPersistGlobals).toBe(true);
        expect((await s.getSession("s1"))?.executionCount).toBe(3);
        await create("s2");
        expect((await s.listSessions()).map((m) => m.sessionId).sort()).toEqual(["s1", "s2"]);
        expect(await s.deleteSession("s1")).toBe(true);
        expect(await s.deleteSession("s1")).toBe(false);
        expect(await s.getSession("s1")).toBeNull();
        expect((await s.listSessions()).map((m) => m.sessionId)).toEqual(["s2"]);
      });

      it("rejects creating a session twice with SessionExistsError", async () => {
        await create("dup", { runtime: "ruby" });
        await expect(s.createSession(testSessionMetadata("dup"))).rejects.toSatisfy(SessionExistsError.isInstance);
        expect((await s.getSession("dup"))?.runtime).toBe("ruby");
      });

      it("rejects malformed metadata and patches with PolicyValidationError", async () => {
        await expect(s.createSession({ ...testSessionMetadata("bad"), createdAt: "yesterday" })).rejects.toSatisfy(PolicyValidationError.isInstance);
        expect(await s.getSession("bad")).toBeNull();
        await create("patched");
        await expect(s.updateSession("patched", { executionCount: -1 })).rejects.toSatisfy(PolicyValidationError.isInstance);
        expect((await s.getSession("patched"))?.executionCount).toBe(0);
      });

      it("rejects updating an unknown session with SessionNotFoundError", async () => {
        await expect(s.updateSession("ghost", { executionCount: 1 })).rejects.toSatisfy(SessionNotFoundError.isInstance);
        expect(await s.getSession("ghost")).toBeNull();
      });

      it("rejects file operations on an unknown session with SessionNotFoundError", async () => {
        await expect(s.writeFile("ghost", "a.txt", text("x"))).rejects.toSatisfy(SessionNotFoundError.isInstance);
        await expect(s.listFiles("ghost")).rejects.toSatisfy(SessionNotFoundError.isInstance);
        const plan = planCommit([], { entries: [{ op: "write", path: "a", data: text("x") }] });
        await expect(s.commit("ghost", plan, { expectedVersion: 0 })).rejects.toSatisfy(SessionNotFoundError.isInstance);
        await expect(s.snapshot("ghost")).rejects.toSatisfy(SessionNotFoundError.isInstance);
        expect(await s.readRecord("ghost", "k").catch((e: unknown) => e)).toSatisfy(SessionNotFoundError.isInstance);
        expect(await s.getSession("ghost")).toBeNull();
      });

      it("rejects hostile session ids with InvalidSessionIdError", async () => {
        for (const id of HOSTILE_SESSION_IDS) {
          await expect(s.createSession(testSessionMetadata(id)), JSON.stringify(id)).rejects.toSatisfy(InvalidSessionIdError.isInstance);
          await expect(s.getSession(id)).rejects.toSatisfy(InvalidSessionIdError.isInstance);
          await expect(s.readFile(id, "a.txt")).rejects.toSatisfy(InvalidSessionIdError.isInstance);
          await expect(s.deleteSession(id)).rejects.toSatisfy(InvalidSessionIdError.isInstance);
        }
        expect(await s.listSessions()).toEqual([]);
      });

      it("deleting a session removes its files", async () => {
        await create("gone");
        await s.writeFile("gone", "d/f.txt", text("bye"));
        await s.deleteSession("gone");
        await create("gone");
        expect(await s.listFiles("gone")).toEqual([]);
      });
    });

    describe("files", () => {
      beforeEach(async () => {
        await create("f");
      });

      it("writes and reads nested, binary, empty and unicode files", async () => {
        const binary = new Uint8Array(256).map((_, i) => i);
        await s.writeFile("f", "a/b/c/deep.txt", text("deep"));
        await s.writeFile("f", "bin.dat", binary);
        await s.writeFile("f", "empty", new Uint8Array(0));
        await s.writeFile("f", "ünï/☃ 文件.txt", text("snow"));
        expect(dec.decode(await s.readFile("f", "a/b/c/deep.txt"))).toBe("deep");
        expect(Array.from(await s.readFile("f", "bin.dat"))).toEqual(Array.from(binary));
        expect((await s.readFile("f", "empty")).byteLength).toBe(0);
        expect(dec.decode(await s.readFile("f", "ünï/☃ 文件.txt"))).toBe("snow");
        await s.writeFile("f", "bin.dat", text("replaced"));
        expect(dec.decode(await s.readFile("f", "bin.dat"))).toBe("replaced");
      });

      it("lists every file and directory sorted by path, with sizes", async () => {
        await s.writeFile("f", "z.txt", text("zz"));
        await s.writeFile("f", "a/b.txt", text("bbb"));
        await s.writeFile("f", "a/a.txt", text("a"));
        await s.writeFile("f", "m/empty", new Uint8Array(0));
        const entries = await s.listFiles("f");
        expect(entries.map((e) => e.path)).toEqual(["a", "a/a.txt", "a/b.txt", "m", "m/empty", "z.txt"]);
        expect(entries.map((e) => e.type)).toEqual(["directory", "file", "file", "directory", "file", "file"]);
        expect(entries.find((e) => e.path === "a/b.txt")?.size).toBe(3);
        expect(entries.find((e) => e.path === "a")?.size).toBe(0);
        for (const e of entries) expect(typeof e.mtimeMs).toBe("number");
      });

      it("throws FileNotFoundError for a missing file and for a directory", async () => {
        await s.writeFile("f", "dir/x", text("x"));
        await expect(s.readFile("f", "nope.txt")).rejects.toSatisfy(FileNotFoundError.isInstance);
        await expect(s.readFile("f", "dir")).rejects.toSatisfy(FileNotFoundError.isInstance);
      });

      it("deletes files and directory trees recursively", async () => {
        await s.writeFile("f", "keep.txt", text("k"));
        await s.writeFile("f", "tree/a/b.txt", text("b"));
        await s.writeFile("f", "tree/c.txt", text("c"));
        expect(await s.deletePath("f", "tree")).toBe(true);
        expect(await s.deletePath("f", "tree")).toBe(false);
        expect(await s.deletePath("f", "keep.txt")).toBe(true);
        expect(await s.listFiles("f")).toEqual([]);
        await expect(s.readFile("f", "tree/c.txt")).rejects.toSatisfy(FileNotFoundError.isInstance);
      });

      it("refuses to write through a file as if it were a directory", async () => {
        await s.writeFile("f", "plain", text("p"));
        await expect(s.writeFile("f", "plain/child", text("c"))).rejects.toSatisfy(SandboxError.isInstance);
        expect(dec.decode(await s.readFile("f", "plain"))).toBe("p");
      });

      it("rejects hostile paths with InvalidPathError and writes nothing", async () => {
        for (const p of HOSTILE_PATHS) {
          const label = JSON.stringify(p.slice(0, 40));
          await expect(s.writeFile("f", p, text("x")), label).rejects.toSatisfy(InvalidPathError.isInstance);
          await expect(s.readFile("f", p), label).rejects.toSatisfy(InvalidPathError.isInstance);
          await expect(s.deletePath("f", p), label).rejects.toSatisfy(InvalidPathError.isInstance);
        }
        expect(await s.listFiles("f")).toEqual([]);
        expect(await s.sizeOf("f")).toBe(0);
      });

      it("keeps sessions isolated from each other", async () => {
        await create("other");
        await s.writeFile("f", "secret.txt", text("mine"));
        expect(await s.listFiles("other")).toEqual([]);
        await expect(s.readFile("other", "secret.txt")).rejects.toSatisfy(FileNotFoundError.isInstance);
        await s.deleteSession("other");
        expect(dec.decode(await s.readFile("f", "secret.txt"))).toBe("mine");
      });
    });

    describeCommitConformance(suite);
    describeVersionConformance(suite);

    it("close() resolves and can be awaited once the adapter is done", async () => {
      await create("closing");
      await s.writeFile("closing", "x", text("x"));
      await expect(s.close()).resolves.toBeUndefined();
    });
  });
}

