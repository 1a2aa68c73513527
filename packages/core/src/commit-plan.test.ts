import { describe, expect, it } from "vitest";
import { planCommit } from "./commit-plan.js";
import { InvalidPathError } from "./errors/invalid-path-error.js";
import type { WorkspaceEntry } from "./storage.js";

const file = (path: string, size = 1): WorkspaceEntry => ({ path, type: "file", size, mtimeMs: 0 });
const dir = (path: string): WorkspaceEntry => ({ path, type: "directory", size: 0, mtimeMs: 0 });
const data = (s: string): Uint8Array => new TextEncoder().encode(s);

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
    expect([...plan.writes.keys()]).toEqual(["d/new"]);
  });

  it("a file written then deleted in one journal is neither written nor reported", () => {
    const plan = planCommit([], { entries: [{ op: "write", path: "tmp/x", data: data("x") }, { op: "delete", path: "tmp/x" }] });
    expect(plan.writes.size).toBe(0);
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
});
