import {
  FileNotFoundError,
  InvalidPathError,
  InvalidSessionIdError,
  type JournalEntry,
  PolicyValidationError,
  SandboxError,
  SessionExistsError,
  SessionNotFoundError,
  type SessionMetadata,
  type StorageAdapter,
} from "@llm-wasm-sandbox/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyNaively, observe, prng } from "./storage-model.js";

/** What a storage conformance factory hands the suite: a fresh, empty adapter and a way to dispose of it. */
export interface StorageUnderTest {
  readonly adapter: StorageAdapter;
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
    ...overrides,
  };
}

/**
 * Paths every adapter must refuse with InvalidPathError, before touching storage.
 * Exported so adapter-specific tests (and the session API) can reuse the list.
 */
export const HOSTILE_PATHS: readonly string[] = [
  "../escape.txt",
  "a/../../escape.txt",
  "/etc/passwd",
  "nul\0byte.txt",
  "back\\slash.txt",
  `${"x".repeat(300)}.txt`,
  `${"d/".repeat(600)}f`,
  "",
];

/** Session ids every adapter must refuse with InvalidSessionIdError. */
export const HOSTILE_SESSION_IDS: readonly string[] = ["../evil", "a/b", "a\\b", "", ".hidden", "x".repeat(200), "sp ace", "nul\0"];

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
    beforeEach(async () => {
      sut = await factory();
      s = sut.adapter;
    });
    afterEach(async () => {
      await sut.cleanup();
    });

    const create = async (id: string, overrides: Partial<SessionMetadata> = {}): Promise<SessionMetadata> => {
      const meta = testSessionMetadata(id, overrides);
      await s.createSession(meta);
      return meta;
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
        await expect(s.commit("ghost", { entries: [{ op: "write", path: "a", data: text("x") }] })).rejects.toSatisfy(SessionNotFoundError.isInstance);
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

    describe("commit", () => {
      beforeEach(async () => {
        await create("c");
        await s.writeFile("c", "old.txt", text("old"));
        await s.writeFile("c", "gone.txt", text("gone"));
        await s.writeFile("c", "dir/inner.txt", text("inner"));
      });

      it("applies writes, mkdirs and deletes and classifies them", async () => {
        const result = await s.commit("c", {
          entries: [
            { op: "write", path: "old.txt", data: text("new!") },
            { op: "write", path: "fresh/new.txt", data: text("hello") },
            { op: "mkdir", path: "made/empty" },
            { op: "delete", path: "gone.txt" },
            { op: "delete", path: "dir" },
          ],
        });
        expect([...result.created].sort()).toEqual(["fresh/new.txt"]);
        expect([...result.modified].sort()).toEqual(["old.txt"]);
        expect([...result.deleted].sort()).toEqual(["dir/inner.txt", "gone.txt"]);
        expect(dec.decode(await s.readFile("c", "old.txt"))).toBe("new!");
        expect(dec.decode(await s.readFile("c", "fresh/new.txt"))).toBe("hello");
        const paths = (await s.listFiles("c")).map((e) => e.path);
        expect(paths).toEqual(["fresh", "fresh/new.txt", "made", "made/empty", "old.txt"]);
      });

      it("applies a delete followed by a re-creation in journal order", async () => {
        const result = await s.commit("c", {
          entries: [
            { op: "delete", path: "dir" },
            { op: "write", path: "dir/again.txt", data: text("again") },
          ],
        });
        expect(result.deleted).toEqual(["dir/inner.txt"]);
        expect(result.created).toEqual(["dir/again.txt"]);
        expect((await s.listFiles("c")).map((e) => e.path)).toContain("dir/again.txt");
      });

      it("is all-or-nothing when one entry is invalid", async () => {
        const before = await snapshot(s, "c");
        await expect(
          s.commit("c", {
            entries: [
              { op: "write", path: "old.txt", data: text("should not land") },
              { op: "write", path: "brand-new.txt", data: text("nor this") },
              { op: "delete", path: "gone.txt" },
              { op: "write", path: "../escape.txt", data: text("evil") },
            ],
          }),
        ).rejects.toSatisfy(InvalidPathError.isInstance);
        expect(await snapshot(s, "c")).toEqual(before);
      });

      it("rejects every hostile path inside a journal, for every op, applying nothing", async () => {
        const before = await snapshot(s, "c");
        for (const p of HOSTILE_PATHS) {
          for (const bad of [
            { op: "write", path: p, data: text("x") },
            { op: "mkdir", path: p },
            { op: "delete", path: p },
          ] as const) {
            await expect(s.commit("c", { entries: [{ op: "write", path: "first.txt", data: text("1") }, bad] }), `${bad.op} ${JSON.stringify(p.slice(0, 30))}`).rejects.toSatisfy(
              InvalidPathError.isInstance,
            );
          }
        }
        expect(await snapshot(s, "c")).toEqual(before);
      });

      it("is all-or-nothing when an entry conflicts with the tree", async () => {
        const before = await snapshot(s, "c");
        await expect(
          s.commit("c", {
            entries: [
              { op: "write", path: "new-one.txt", data: text("x") },
              { op: "write", path: "old.txt/child", data: text("file used as a directory") },
            ],
          }),
        ).rejects.toSatisfy(SandboxError.isInstance);
        expect(await snapshot(s, "c")).toEqual(before);
      });

      it("updates sizeOf and metadata sizes after a commit", async () => {
        expect(await s.sizeOf("c")).toBe(3 + 4 + 5);
        await s.commit("c", {
          entries: [
            { op: "write", path: "big.bin", data: new Uint8Array(1000) },
            { op: "delete", path: "gone.txt" },
          ],
        });
        expect(await s.sizeOf("c")).toBe(3 + 5 + 1000);
        const meta = await s.getSession("c");
        expect(meta?.sizeBytes).toBe(1008);
        expect(meta?.fileCount).toBe(3);
      });

      it("matches a naive one-entry-at-a-time model over 30 seeded random journals", async () => {
        const rand = prng(20261122);
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
        const randomPath = (): string => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(["a", "b", "c"])).join("/");
        let model = await observe(s, "c");
        let rejected = 0;
        for (let round = 0; round < 30; round++) {
          const entries: JournalEntry[] = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, i) => {
            const r = rand();
            const path = randomPath();
            if (r < 0.55) return { op: "write", path, data: text(`r${round}e${i}`) };
            if (r < 0.75) return { op: "mkdir", path };
            return { op: "delete", path };
          });
          const expected = applyNaively(model, entries);
          if (expected === null) {
            await expect(s.commit("c", { entries }), JSON.stringify(entries.map((e) => [e.op, e.path]))).rejects.toSatisfy(InvalidPathError.isInstance);
            rejected++;
          } else {
            await s.commit("c", { entries });
            model = expected;
          }
          expect(await observe(s, "c"), `round ${round}`).toEqual(model);
        }
        // The generator must exercise both outcomes for the test to mean anything.
        expect(rejected).toBeGreaterThan(0);
        expect(rejected).toBeLessThan(30);
      });

      it("serializes concurrent commits to one session (no lost write)", async () => {
        const n = 12;
        await Promise.all(
          Array.from({ length: n }, (_, i) => s.commit("c", { entries: [{ op: "write", path: `par/${i}.txt`, data: text(String(i)) }] })),
        );
        const files = (await s.listFiles("c")).filter((e) => e.path.startsWith("par/"));
        expect(files).toHaveLength(n);
        expect((await s.getSession("c"))?.fileCount).toBe(3 + n);
      });
    });

    it("close() resolves and can be awaited once the adapter is done", async () => {
      await create("closing");
      await s.writeFile("closing", "x", text("x"));
      await expect(s.close()).resolves.toBeUndefined();
    });
  });
}

/** Every path with its type and content (for files), to compare a workspace before and after. */
async function snapshot(s: StorageAdapter, sessionId: string): Promise<Array<[string, string, string]>> {
  const out: Array<[string, string, string]> = [];
  for (const e of await s.listFiles(sessionId)) {
    out.push([e.path, e.type, e.type === "file" ? dec.decode(await s.readFile(sessionId, e.path)) : ""]);
  }
  return out;
}
