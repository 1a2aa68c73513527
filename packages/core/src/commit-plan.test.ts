import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyPlan, isEmptyPlan, planCommit, removedBy } from "./commit-plan.js";
import { InvalidPathError } from "./errors/invalid-path-error.js";
import type { JournalEntry, WorkspaceEntry } from "./storage.js";

const file = (path: string, size = 1): WorkspaceEntry => ({ path, type: "file", size, mtimeMs: 0 });
const dir = (path: string): WorkspaceEntry => ({ path, type: "directory", size: 0, mtimeMs: 0 });
const data = (s: string): Uint8Array => new TextEncoder().encode(s);
const paths = (plan: { writes: ReadonlyArray<{ path: string }> }): string[] => plan.writes.map((w) => w.path);

describe("planCommit", () => {
  it("classifies created, modified and deleted files and sums sizes", () => {
    const plan = planCommit([dir("d"), file("d/x", 5), file("keep", 3), file("gone", 2)], {
      entries: [
        { op: "write", path: "keep", data: data("1234") },
        { op: "write", path: "new/deep/f", data: data("ab") },
        { op: "delete", path: "gone" },
        { op: "delete", path: "d" },
      ],
    });
    expect(plan.created).toEqual(["new/deep/f"]);
    expect(plan.modified).toEqual(["keep"]);
    expect(plan.deleted).toEqual(["d/x", "gone"]);
    expect(plan.removals).toEqual([{ path: "d", type: "directory" }, { path: "gone", type: "file" }]);
    expect(plan.mkdirs).toEqual(["new", "new/deep"]);
    expect(plan.sizeBytes).toBe(6);
    expect(plan.fileCount).toBe(2);
  });

  it("keeps journal order: delete then re-create a directory removes only its old children", () => {
    const plan = planCommit([dir("d"), file("d/old")], { entries: [{ op: "delete", path: "d" }, { op: "write", path: "d/new", data: data("n") }] });
    expect(plan.removals).toEqual([{ path: "d/old", type: "file" }]);
    expect(plan.mkdirs).toEqual([]);
    expect(paths(plan)).toEqual(["d/new"]);
  });

  it("a file written then deleted in one journal is neither written nor reported", () => {
    const plan = planCommit([], { entries: [{ op: "write", path: "tmp/x", data: data("x") }, { op: "delete", path: "tmp/x" }] });
    expect(plan.writes).toEqual([]);
    expect(plan.created).toEqual([]);
    expect(plan.mkdirs).toEqual(["tmp"]);
  });

  it("a file replaced by a directory is removed by type, then made a directory", () => {
    const plan = planCommit([file("x")], { entries: [{ op: "delete", path: "x" }, { op: "mkdir", path: "x" }] });
    expect(plan.removals).toEqual([{ path: "x", type: "file" }]);
    expect(plan.mkdirs).toEqual(["x"]);
    expect(plan.deleted).toEqual(["x"]);
  });

  it("rejects writing through a file, over a directory, and escaping paths", () => {
    expect(() => planCommit([file("f")], { entries: [{ op: "write", path: "f/child", data: data("") }] })).toThrow(InvalidPathError);
    expect(() => planCommit([dir("d")], { entries: [{ op: "write", path: "d", data: data("") }] })).toThrow(InvalidPathError);
    expect(() => planCommit([], { entries: [{ op: "mkdir", path: "../up" }] })).toThrow(InvalidPathError);
    expect(() => planCommit([], { entries: [{ op: "delete", path: "/etc" }] })).toThrow(InvalidPathError);
  });

  it("a write through a file that an earlier delete removed is allowed", () => {
    const plan = planCommit([file("f", 4)], { entries: [{ op: "delete", path: "f" }, { op: "write", path: "f/child", data: data("c") }] });
    expect(plan.removals).toEqual([{ path: "f", type: "file" }]);
    expect(plan.mkdirs).toEqual(["f"]);
    expect(plan.fileCount).toBe(1);
    expect(plan.sizeBytes).toBe(1);
  });

  it("deleting 50,000 top-level files is one removal each, with the totals of an empty tree", () => {
    const n = 50_000;
    const before = Array.from({ length: n }, (_, i) => file(`f${i}`, 2));
    const plan = planCommit(before, { entries: before.map((e) => ({ op: "delete" as const, path: e.path })) });
    expect(plan.removals).toHaveLength(n);
    expect(plan.deleted).toHaveLength(n);
    expect(plan.sizeBytes).toBe(0);
    expect(plan.fileCount).toBe(0);
  });

  it("an unchanged workspace gives an empty plan with the old totals", () => {
    const plan = planCommit([dir("d"), file("d/a", 7)], { entries: [] });
    expect(isEmptyPlan(plan)).toBe(true);
    expect(plan).toEqual(emptyPlan({ sizeBytes: 7, fileCount: 1 }));
    expect(isEmptyPlan(planCommit([], { entries: [{ op: "mkdir", path: "x" }] }))).toBe(false);
  });

  it("removedBy marks removed paths and everything under them, and nothing else", () => {
    const plan = planCommit([dir("a"), dir("a/b"), file("a/b/c"), file("ab"), file("z")], { entries: [{ op: "delete", path: "a/b" }, { op: "delete", path: "z" }] });
    const removed = removedBy(plan);
    expect(["a", "a/b", "a/b/c", "ab", "z"].map(removed)).toEqual([false, true, true, false, true]);
  });

  it("matches a naive one-op-at-a-time model on random trees and journals", () => {
    const name = fc.constantFrom("a", "b", "c");
    const path = fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => p.join("/"));
    const op: fc.Arbitrary<JournalEntry> = fc.oneof(
      path.chain((p) => fc.string({ maxLength: 3 }).map((s) => ({ op: "write" as const, path: p, data: data(s) }))),
      path.map((p) => ({ op: "mkdir" as const, path: p })),
      path.map((p) => ({ op: "delete" as const, path: p })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 8 }), fc.array(op, { maxLength: 8 }), (setup, entries) => {
        const start = naive(new Map(), setup);
        if (start === null) return;
        const before = [...start].map(([p, v]) => (v === null ? dir(p) : file(p, v.length)));
        const expected = naive(start, entries);
        if (expected === null) {
          expect(() => planCommit(before, { entries })).toThrow(InvalidPathError);
          return;
        }
        const plan = planCommit(before, { entries });
        // Apply the plan the way adapters do: removals, then mkdirs, then writes.
        const removed = removedBy(plan);
        const after = new Map([...start].filter(([p]) => !removed(p)));
        for (const d of plan.mkdirs) after.set(d, null);
        for (const w of plan.writes) after.set(w.path, new TextDecoder().decode(w.data));
        expect(sorted(after)).toEqual(sorted(expected));
        const files = [...expected.values()].filter((v): v is string => v !== null);
        expect(plan.fileCount).toBe(files.length);
        expect(plan.sizeBytes).toBe(files.reduce((n, s) => n + data(s).byteLength, 0));
        const oldFiles = new Set([...start].filter(([, v]) => v !== null).map(([p]) => p));
        expect(plan.deleted).toEqual([...oldFiles].filter((p) => typeof expected.get(p) !== "string").sort());
      }),
      { numRuns: 500, seed: 20261122 },
    );
  });
});

/** The obvious model: path → content (null for a directory); null when the journal is invalid. */
function naive(model: ReadonlyMap<string, string | null>, entries: readonly JournalEntry[]): Map<string, string | null> | null {
  const m = new Map(model);
  for (const e of entries) {
    if (e.op === "delete") {
      for (const p of [...m.keys()]) if (p === e.path || p.startsWith(`${e.path}/`)) m.delete(p);
      continue;
    }
    const parts = e.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join("/");
      if (typeof m.get(d) === "string") return null;
      m.set(d, null);
    }
    const existing = m.get(e.path);
    if (e.op === "mkdir") {
      if (typeof existing === "string") return null;
      m.set(e.path, null);
    } else {
      if (existing === null) return null;
      m.set(e.path, new TextDecoder().decode(e.data));
    }
  }
  return m;
}

function sorted(m: ReadonlyMap<string, string | null>): Array<[string, string | null]> {
  return [...m].sort(([a], [b]) => (a < b ? -1 : 1));
}
