import type { JournalEntry, WorkspaceEntry } from "@llm-wasm-sandbox/core";
import { describe, expect, it } from "vitest";
import { OpenFile } from "./open-file.js";
import { createVirtualFs, type VirtualFs } from "./virtual-fs.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A workspace with: a.txt, b.txt, dir/c.txt, dir/sub/d.txt, empty/ */
function workspace(loads: string[] = []): VirtualFs {
  const files: Record<string, string> = { "a.txt": "A", "b.txt": "B", "dir/c.txt": "C", "dir/sub/d.txt": "D" };
  const entries: WorkspaceEntry[] = [
    ...Object.entries(files).map(([path, t]) => ({ path, type: "file" as const, size: t.length, mtimeMs: 0 })),
    { path: "dir", type: "directory", size: 0, mtimeMs: 0 },
    { path: "dir/sub", type: "directory", size: 0, mtimeMs: 0 },
    { path: "empty", type: "directory", size: 0, mtimeMs: 0 },
  ];
  return createVirtualFs({
    workspace: {
      entries,
      load: (p) => {
        loads.push(p);
        return enc(files[p] ?? "");
      },
    },
    seedFiles: { "user_code.py": enc("print(1)"), ".llm-sandbox/wrapper.py": enc("w") },
  });
}

function write(fs: VirtualFs, path: string, text: string, opts: { truncate?: boolean } = { truncate: true }): void {
  const f = fs.open(path, { create: true, write: true, truncate: opts.truncate });
  if (!(f instanceof OpenFile)) throw new Error("not a file");
  f.write(enc(text));
}

function show(entries: readonly JournalEntry[]): string[] {
  return entries.map((e) => (e.op === "write" ? `write ${e.path}=${new TextDecoder().decode(e.data)}` : `${e.op} ${e.path}`));
}

describe("journal", () => {
  it("is empty when nothing changed, and reads no file to find out", () => {
    const loads: string[] = [];
    const fs = workspace(loads);
    fs.resolve("/app/dir/sub/d.txt");
    expect(fs.journal().entries).toEqual([]);
    expect(fs.changedPaths()).toEqual({ created: [], modified: [], deleted: [] });
    expect(loads).toEqual([]);
  });

  it("collapses a file written twice into one write with the final bytes", () => {
    const fs = workspace();
    write(fs, "/app/new.txt", "first");
    write(fs, "/app/new.txt", "second");
    write(fs, "/app/a.txt", "changed");
    expect(show(fs.journal().entries)).toEqual(["write a.txt=changed", "write new.txt=second"]);
    expect(fs.changedPaths()).toEqual({ created: ["new.txt"], modified: ["a.txt"], deleted: [] });
  });

  it("drops a file created then deleted, and a directory created then removed", () => {
    const fs = workspace();
    write(fs, "/app/tmp.txt", "x");
    fs.unlink("/app/tmp.txt");
    fs.mkdir("/app/t");
    fs.rmdir("/app/t");
    expect(fs.journal().entries).toEqual([]);
  });

  it("turns delete-then-recreate into a write (modified when bytes differ, nothing when equal)", () => {
    const fs = workspace();
    fs.unlink("/app/a.txt");
    write(fs, "/app/a.txt", "again");
    fs.unlink("/app/b.txt");
    write(fs, "/app/b.txt", "B");
    expect(show(fs.journal().entries)).toEqual(["write a.txt=again"]);
    expect(fs.changedPaths().modified).toEqual(["a.txt"]);
  });

  it("counts a file rewritten with identical bytes as unchanged", () => {
    const fs = workspace();
    write(fs, "/app/dir/c.txt", "C");
    expect(fs.journal().entries).toEqual([]);
  });

  it("emits one delete for the top-most path of a deleted tree, and lists each deleted file", () => {
    const fs = workspace();
    fs.unlink("/app/dir/sub/d.txt");
    fs.rmdir("/app/dir/sub");
    fs.unlink("/app/dir/c.txt");
    fs.rmdir("/app/dir");
    expect(show(fs.journal().entries)).toEqual(["delete dir"]);
    expect(fs.changedPaths().deleted).toEqual(["dir/c.txt", "dir/sub/d.txt"]);
  });

  it("orders deletes before mkdirs before writes, parents first (file replaced by a directory)", () => {
    const fs = workspace();
    fs.unlink("/app/a.txt");
    fs.mkdir("/app/a.txt");
    fs.mkdir("/app/a.txt/in");
    write(fs, "/app/a.txt/in/f", "f");
    fs.rmdir("/app/empty");
    write(fs, "/app/empty", "now a file");
    expect(show(fs.journal().entries)).toEqual([
      "delete a.txt",
      "delete empty",
      "mkdir a.txt",
      "mkdir a.txt/in",
      "write a.txt/in/f=f",
      "write empty=now a file",
    ]);
  });

  it("journals a rename as delete + write of the same bytes, loading the moved file", () => {
    const loads: string[] = [];
    const fs = workspace(loads);
    fs.rename("/app/dir", "/app/moved");
    expect(show(fs.journal().entries)).toEqual(["delete dir", "mkdir moved", "mkdir moved/sub", "write moved/c.txt=C", "write moved/sub/d.txt=D"]);
    expect(fs.changedPaths()).toEqual({ created: ["moved/c.txt", "moved/sub/d.txt"], modified: [], deleted: ["dir/c.txt", "dir/sub/d.txt"] });
  });

  it("leaves seed files and symlinks out, and hides internal paths from changedPaths only", () => {
    const fs = workspace();
    write(fs, "/app/user_code.py", "print(2)");
    fs.symlink("a.txt", "/app/link");
    write(fs, "/app/.llm-sandbox/state.json", "{}");
    expect(show(fs.journal().entries)).toEqual(["write .llm-sandbox/state.json={}"]);
    expect(fs.changedPaths()).toEqual({ created: [], modified: [], deleted: [] });
  });

  it("reports a file replaced by a symlink as deleted", () => {
    const fs = workspace();
    fs.unlink("/app/b.txt");
    fs.symlink("a.txt", "/app/b.txt");
    expect(show(fs.journal().entries)).toEqual(["delete b.txt"]);
  });

  it("compares a file truncated to zero unread against the original bytes", () => {
    const loads: string[] = [];
    const fs = workspace(loads);
    write(fs, "/app/a.txt", "A");
    expect(fs.journal().entries).toEqual([]);
    expect(loads).toContain("a.txt");
  });
});
