import { describe, expect, it } from "vitest";
import { MemoryWorkspace } from "./memory-workspace.js";

describe("MemoryWorkspace", () => {
  it("lists parents as directories and records lazy reads", async () => {
    const ws = new MemoryWorkspace();
    ws.put("a/b/c.txt", "x");
    const src = ws.source();
    expect(src.entries.map((e) => `${e.type}:${e.path}`)).toEqual(["directory:a", "directory:a/b", "file:a/b/c.txt"]);
    expect(ws.reads).toEqual([]);
    expect(new TextDecoder().decode(await src.read("a/b/c.txt"))).toBe("x");
    expect(ws.reads).toEqual(["a/b/c.txt"]);
    await expect(src.read("missing")).rejects.toThrow(/no such file/);
  });

  it("applies writes, mkdirs and recursive deletes from a journal", () => {
    const ws = new MemoryWorkspace();
    ws.put("old/x.txt", "1");
    ws.apply({
      entries: [
        { op: "delete", path: "old" },
        { op: "mkdir", path: "new" },
        { op: "write", path: "new/y.txt", data: new TextEncoder().encode("2") },
      ],
    });
    expect(ws.text("old/x.txt")).toBeUndefined();
    expect(ws.dirs.has("old")).toBe(false);
    expect(ws.text("new/y.txt")).toBe("2");
  });
});
