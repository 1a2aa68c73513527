import {
  InvalidPathError,
  type JournalEntry,
  planCommit,
  SandboxError,
  type SessionMetadata,
  type StorageAdapter,
  StorageConflictError,
} from "@llm-wasm-sandbox/core";
import { beforeEach, describe, expect, it } from "vitest";
import { commitJournal } from "./commit-journal.js";
import { HOSTILE_PATHS } from "./hostile-inputs.js";
import { applyNaively, observe, prng } from "./storage-model.js";

/** What the parts of the conformance suite share: the adapter under test (fresh per test) and helpers. */
export interface ConformanceSuite {
  readonly s: StorageAdapter;
  create(id: string, overrides?: Partial<SessionMetadata>): Promise<SessionMetadata>;
  /** A second adapter over the same store, or null when the factory has none. Closed after the test. */
  sibling(): StorageAdapter | null;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (s: string): Uint8Array => enc.encode(s);

/** Commits: journals planned and applied all-or-nothing, compared with a naive model. */
export function describeCommitConformance(suite: ConformanceSuite): void {
  describe("commit", () => {
    let s: StorageAdapter;
    beforeEach(async () => {
      s = suite.s;
      await suite.create("c");
      await s.writeFile("c", "old.txt", text("old"));
      await s.writeFile("c", "gone.txt", text("gone"));
      await s.writeFile("c", "dir/inner.txt", text("inner"));
    });

    it("applies writes, mkdirs and deletes and classifies them", async () => {
      const result = await commitJournal(s, "c", {
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
      const result = await commitJournal(s, "c", {
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
      const before = await snapshotContents(s, "c");
      await expect(
        commitJournal(s, "c", {
          entries: [
            { op: "write", path: "old.txt", data: text("should not land") },
            { op: "write", path: "brand-new.txt", data: text("nor this") },
            { op: "delete", path: "gone.txt" },
            { op: "write", path: "../escape.txt", data: text("evil") },
          ],
        }),
      ).rejects.toSatisfy(InvalidPathError.isInstance);
      expect(await snapshotContents(s, "c")).toEqual(before);
    });

    it("rejects every hostile path inside a journal, for every op, applying nothing", async () => {
      const before = await snapshotContents(s, "c");
      for (const p of HOSTILE_PATHS) {
        for (const bad of [
          { op: "write", path: p, data: text("x") },
          { op: "mkdir", path: p },
          { op: "delete", path: p },
        ] as const) {
          await expect(commitJournal(s, "c", { entries: [{ op: "write", path: "first.txt", data: text("1") }, bad] }), `${bad.op} ${JSON.stringify(p.slice(0, 30))}`).rejects.toSatisfy(
            InvalidPathError.isInstance,
          );
        }
      }
      expect(await snapshotContents(s, "c")).toEqual(before);
    });

    it("is all-or-nothing when an entry conflicts with the tree", async () => {
      const before = await snapshotContents(s, "c");
      await expect(
        commitJournal(s, "c", {
          entries: [
            { op: "write", path: "new-one.txt", data: text("x") },
            { op: "write", path: "old.txt/child", data: text("file used as a directory") },
          ],
        }),
      ).rejects.toSatisfy(SandboxError.isInstance);
      expect(await snapshotContents(s, "c")).toEqual(before);
    });

    it("updates sizeOf and metadata sizes after a commit", async () => {
      expect(await s.sizeOf("c")).toBe(3 + 4 + 5);
      await commitJournal(s, "c", {
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
          await expect(commitJournal(s, "c", { entries }), JSON.stringify(entries.map((e) => [e.op, e.path]))).rejects.toSatisfy(InvalidPathError.isInstance);
          rejected++;
        } else {
          await commitJournal(s, "c", { entries });
          model = expected;
        }
        expect(await observe(s, "c"), `round ${round}`).toEqual(model);
      }
      // The generator must exercise both outcomes for the test to mean anything.
      expect(rejected).toBeGreaterThan(0);
      expect(rejected).toBeLessThan(30);
    });

    it("serializes concurrent host-side writes to one session (no lost write)", async () => {
      const n = 12;
      await Promise.all(Array.from({ length: n }, (_, i) => s.writeFile("c", `par/${i}.txt`, text(String(i)))));
      const files = (await s.listFiles("c")).filter((e) => e.path.startsWith("par/"));
      expect(files).toHaveLength(n);
      expect((await s.getSession("c"))?.fileCount).toBe(3 + n);
    });

    it("of concurrent commits planned from one version exactly one lands; the others conflict, nothing is lost silently", async () => {
      const n = 6;
      const start = await s.snapshot("c");
      const outcomes = await Promise.allSettled(
        Array.from({ length: n }, (_, i) =>
          s.commit("c", planCommit(start.entries, { entries: [{ op: "write", path: `par/${i}.txt`, data: text(String(i)) }] }), { expectedVersion: start.metadata.version }),
        ),
      );
      const landed = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i] : []));
      expect(landed).toHaveLength(1);
      for (const o of outcomes) if (o.status === "rejected") expect(StorageConflictError.isInstance(o.reason), String(o.reason)).toBe(true);
      expect((await s.listFiles("c")).filter((e) => e.path.startsWith("par/")).map((e) => e.path)).toEqual([`par/${landed[0]}.txt`]);
      expect((await s.getSession("c"))?.version).toBe(start.metadata.version + 1);
    });
  });
}

/** Every path with its type and content (for files), to compare a workspace before and after. */
export async function snapshotContents(s: StorageAdapter, sessionId: string): Promise<Array<[string, string, string]>> {
  const out: Array<[string, string, string]> = [];
  for (const e of await s.listFiles(sessionId)) {
    out.push([e.path, e.type, e.type === "file" ? dec.decode(await s.readFile(sessionId, e.path)) : ""]);
  }
  return out;
}
