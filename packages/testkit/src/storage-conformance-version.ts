import {
  type CommitPlan,
  emptyPlan,
  FileNotFoundError,
  InvalidPathError,
  planCommit,
  PolicyValidationError,
  RECORDS_KEPT,
  type StorageAdapter,
  StorageConflictError,
  StorageQuotaError,
} from "@llm-wasm-sandbox/core";
import { beforeEach, describe, expect, it } from "vitest";
import { commitJournal } from "./commit-journal.js";
import { type ConformanceSuite, snapshotContents } from "./storage-conformance-commit.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (s: string): Uint8Array => enc.encode(s);
const write = (path: string, s: string): CommitPlan => planCommit([], { entries: [{ op: "write", path, data: text(s) }] });

/**
 * The commit contract beyond applying a plan: versions and optimistic concurrency,
 * snapshots, counters, per-session quotas and records (idempotency).
 */
export function describeVersionConformance(suite: ConformanceSuite): void {
  describe("versions, quotas and records", () => {
    let s: StorageAdapter;
    beforeEach(async () => {
      s = suite.s;
      await suite.create("v");
    });

    it("a new session is at version 0; each commit adds one; metadata updates and failed commits do not", async () => {
      expect((await s.getSession("v"))?.version).toBe(0);
      const first = await commitJournal(s, "v", { entries: [{ op: "write", path: "a", data: text("1") }] });
      expect(first.version).toBe(1);
      await s.updateSession("v", { autoPersistGlobals: true });
      expect((await s.getSession("v"))?.version).toBe(1);
      await s.writeFile("v", "b", text("2"));
      expect((await s.getSession("v"))?.version).toBe(2);
      await expect(commitJournal(s, "v", { entries: [{ op: "write", path: "a/x", data: text("through a file") }] })).rejects.toSatisfy(InvalidPathError.isInstance);
      expect((await s.getSession("v"))?.version).toBe(2);
    });

    it("a snapshot holds metadata and listing of one version, and reads that version's bytes", async () => {
      await s.writeFile("v", "d/a.txt", text("alpha"));
      const snap = await s.snapshot("v");
      expect(snap.metadata).toMatchObject({ sessionId: "v", version: 1, fileCount: 1, sizeBytes: 5 });
      expect(snap.entries.map((e) => [e.path, e.type, e.size])).toEqual([
        ["d", "directory", 0],
        ["d/a.txt", "file", 5],
      ]);
      expect(dec.decode(await snap.read("d/a.txt"))).toBe("alpha");
      await expect(snap.read("d/none.txt")).rejects.toSatisfy(FileNotFoundError.isInstance);
      await expect(snap.read("../x")).rejects.toSatisfy(InvalidPathError.isInstance);
    });

    it("a commit planned against an older version is refused with StorageConflictError and writes nothing", async () => {
      await s.writeFile("v", "log.txt", text("one\n"));
      const stale = await s.snapshot("v");
      await s.writeFile("v", "log.txt", text("one\ntwo\n"));
      const before = await snapshotContents(s, "v");
      const plan = planCommit(stale.entries, { entries: [{ op: "write", path: "log.txt", data: text("one\nmine\n") }, { op: "write", path: "extra", data: text("x") }] });
      const refused = await s.commit("v", plan, { expectedVersion: stale.metadata.version, executions: 1, record: { key: "k", data: text("r") } }).catch((e: unknown) => e);
      expect(StorageConflictError.isInstance(refused), String(refused)).toBe(true);
      expect((refused as StorageConflictError).locked).toBe(false);
      expect(await snapshotContents(s, "v")).toEqual(before);
      expect(await s.getSession("v")).toMatchObject({ version: 2, executionCount: 0 });
      expect(await s.readRecord("v", "k")).toBeNull();
    });

    it("refuses a commit without a valid expectedVersion (never an unconditional commit)", async () => {
      for (const bad of [undefined, {}, { expectedVersion: -1 }, { expectedVersion: 1.5 }, { expectedVersion: "0" }]) {
        await expect(s.commit("v", write("a", "x"), bad as never), JSON.stringify(bad)).rejects.toSatisfy(PolicyValidationError.isInstance);
      }
      expect(await s.listFiles("v")).toEqual([]);
    });

    it("re-checks the plan's paths (a plan may come from another thread): a non-canonical path writes nothing", async () => {
      for (const path of ["../escape", "a//b", "/etc/passwd", "a/./b", "nul\0"]) {
        const forged: CommitPlan = { ...write("ok", "x"), writes: [{ path: "ok", data: text("x") }, { path, data: text("evil") }], created: ["ok", path], fileCount: 2 };
        await expect(s.commit("v", forged, { expectedVersion: 0 }), JSON.stringify(path)).rejects.toSatisfy(InvalidPathError.isInstance);
      }
      expect(await s.listFiles("v")).toEqual([]);
      expect((await s.getSession("v"))?.version).toBe(0);
    });

    it("adds `executions` to executionCount in the same commit", async () => {
      await commitJournal(s, "v", { entries: [{ op: "write", path: "a", data: text("1") }] }, { executions: 1 });
      const snap = await s.snapshot("v");
      await s.commit("v", emptyPlan(snap.metadata), { expectedVersion: snap.metadata.version, executions: 2 });
      expect(await s.getSession("v")).toMatchObject({ executionCount: 3, version: 2, fileCount: 1 });
    });

    it("keeps files named like JavaScript object keys (__proto__, constructor)", async () => {
      for (const name of ["__proto__", "constructor", "toString", "d/__proto__/hasOwnProperty"]) await s.writeFile("v", name, text(name));
      const paths = (await s.listFiles("v")).map((e) => e.path);
      for (const name of ["__proto__", "constructor", "toString", "d/__proto__/hasOwnProperty"]) {
        expect(paths).toContain(name);
        expect(dec.decode(await s.readFile("v", name))).toBe(name);
      }
      expect((await s.getSession("v"))?.fileCount).toBe(4);
    });

    describe("per-session quota", () => {
      it("refuses a commit that grows the session past maxBytes or maxFiles with StorageQuotaError, writing nothing", async () => {
        await s.writeFile("v", "base", new Uint8Array(60));
        const before = await snapshotContents(s, "v");
        const big = commitJournal(s, "v", { entries: [{ op: "write", path: "big", data: new Uint8Array(50) }] }, { quota: { maxBytes: 100 } });
        const err = await big.catch((e: unknown) => e);
        expect(StorageQuotaError.isInstance(err), String(err)).toBe(true);
        expect(err).toMatchObject({ unit: "bytes", quotaBytes: 100, needed: 110, sessionId: "v" });
        const many = commitJournal(s, "v", { entries: ["a", "b", "c"].map((p) => ({ op: "write" as const, path: p, data: text(p) })) }, { quota: { maxFiles: 3 } });
        expect(await many.catch((e: unknown) => e)).toMatchObject({ unit: "files", quotaBytes: 3, needed: 4 });
        expect(await snapshotContents(s, "v")).toEqual(before);
        expect((await s.getSession("v"))?.version).toBe(1);
        // Within the limits the same commit lands.
        await commitJournal(s, "v", { entries: [{ op: "write", path: "big", data: new Uint8Array(40) }] }, { quota: { maxBytes: 100, maxFiles: 3 } });
        expect((await s.getSession("v"))?.sizeBytes).toBe(100);
      });

      it("lets a session over a lowered quota shrink, but not grow", async () => {
        await s.writeFile("v", "a", new Uint8Array(80));
        await s.writeFile("v", "b", new Uint8Array(80));
        await commitJournal(s, "v", { entries: [{ op: "write", path: "a", data: new Uint8Array(70) }] }, { quota: { maxBytes: 100 } });
        expect((await s.getSession("v"))?.sizeBytes).toBe(150);
        await expect(commitJournal(s, "v", { entries: [{ op: "write", path: "a", data: new Uint8Array(75) }] }, { quota: { maxBytes: 100 } })).rejects.toSatisfy(StorageQuotaError.isInstance);
      });
    });

    describe("records", () => {
      it("stores a record with the commit and reads it back by key; unknown keys read null", async () => {
        await commitJournal(s, "v", { entries: [{ op: "write", path: "out.txt", data: text("1") }] }, { record: { key: "req-1", data: text('{"stdout":"1"}') } });
        expect(dec.decode((await s.readRecord("v", "req-1")) ?? new Uint8Array())).toBe('{"stdout":"1"}');
        expect(await s.readRecord("v", "req-2")).toBeNull();
        await expect(s.readRecord("v", "")).rejects.toSatisfy(PolicyValidationError.isInstance);
        await expect(s.readRecord("v", "k".repeat(257))).rejects.toSatisfy(PolicyValidationError.isInstance);
      });

      it("a commit that changes no file can still store a record", async () => {
        const snap = await s.snapshot("v");
        await s.commit("v", emptyPlan(snap.metadata), { expectedVersion: 0, record: { key: "noop", data: text("r") } });
        expect(await s.readRecord("v", "noop")).toEqual(text("r"));
        expect((await s.getSession("v"))?.version).toBe(1);
      });

      it(`keeps young records past the latest ${RECORDS_KEPT}: a retry on a busy session still finds its record`, async () => {
        for (let i = 0; i <= RECORDS_KEPT; i++) {
          const snap = await s.snapshot("v");
          await s.commit("v", emptyPlan(snap.metadata), { expectedVersion: snap.metadata.version, record: { key: `k${i}`, data: text(String(i)) } });
        }
        // Every record here is younger than RECORD_RETENTION_MS (aging is keptRecords' unit test, and the disk adapter's).
        expect(dec.decode((await s.readRecord("v", "k0")) ?? new Uint8Array())).toBe("0");
        expect(dec.decode((await s.readRecord("v", `k${RECORDS_KEPT}`)) ?? new Uint8Array())).toBe(String(RECORDS_KEPT));
      });
    });

    describe("two adapters over one store (as two processes)", () => {
      it("a commit from a stale snapshot taken by another adapter conflicts; the fresh one lands", async () => {
        const other = suite.sibling();
        if (!other) return;
        await s.writeFile("v", "log.txt", text("a\n"));
        const mine = await s.snapshot("v");
        const theirs = await other.snapshot("v");
        await other.commit("v", planCommit(theirs.entries, { entries: [{ op: "write", path: "log.txt", data: text("a\ntheirs\n") }] }), { expectedVersion: theirs.metadata.version });
        await expect(s.commit("v", planCommit(mine.entries, { entries: [{ op: "write", path: "log.txt", data: text("a\nmine\n") }] }), { expectedVersion: mine.metadata.version })).rejects.toSatisfy(
          StorageConflictError.isInstance,
        );
        expect(dec.decode(await s.readFile("v", "log.txt"))).toBe("a\ntheirs\n");
        expect((await other.getSession("v"))?.version).toBe(2);
      });
    });
  });
}
