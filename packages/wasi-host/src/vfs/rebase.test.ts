/**
 * Warm sessions keep one VirtualFs across executions: after each commit, /app as it stands
 * is the next journal's baseline (see rebase.ts).
 */
import type { JournalEntry } from "@llm-wasm-sandbox/core";
import { describe, expect, it } from "vitest";
import { OpenFile } from "./open-file.js";
import { createVirtualFs, type VirtualFs } from "./virtual-fs.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** /app with a.txt ("A"), backed by `stored` (what storage holds; tests update it as a commit would). */
function live(stored: Map<string, string>): VirtualFs {
  return createVirtualFs({
    workspace: { entries: [{ path: "a.txt", type: "file", size: 1, mtimeMs: 0 }], load: (p) => enc(stored.get(p) ?? "") },
    seedFiles: { "user_code.lua": enc("first") },
  });
}

function write(fs: VirtualFs, path: string, text: string): void {
  const f = fs.open(path, { create: true, write: true, truncate: true });
  if (!(f instanceof OpenFile)) throw new Error("not a file");
  f.write(enc(text));
  f.close();
}

function read(fs: VirtualFs, path: string): string {
  const f = fs.open(path);
  if (!(f instanceof OpenFile)) throw new Error("not a file");
  const out = new Uint8Array(64);
  const n = f.read(out);
  f.close();
  return dec(out.subarray(0, n));
}

function show(entries: readonly JournalEntry[]): string[] {
  return entries.map((e) => (e.op === "write" ? `write ${e.path}=${dec(e.data)}` : `${e.op} ${e.path}`));
}

/** What a commit does to storage, for the tests. */
function commit(stored: Map<string, string>, entries: readonly JournalEntry[]): void {
  for (const e of entries) {
    if (e.op === "write") stored.set(e.path, dec(e.data));
    if (e.op === "delete") stored.delete(e.path);
  }
}

describe("rebaseWorkspace", () => {
  it("journals only what changed since the previous execution's commit", () => {
    const stored = new Map([["a.txt", "A"]]);
    const fs = live(stored);
    write(fs, "/app/a.txt", "B");
    write(fs, "/app/new.txt", "N");
    const first = fs.journal().entries;
    expect(show(first)).toEqual(["write a.txt=B", "write new.txt=N"]);
    commit(stored, first);
    fs.rebaseWorkspace({ "user_code.lua": enc("second") });
    expect(fs.journal().entries).toEqual([]);
    fs.unlink("/app/new.txt");
    expect(show(fs.journal().entries)).toEqual(["delete new.txt"]);
  });

  it("compares a rewritten file with what was committed, not with what the first run loaded", () => {
    const stored = new Map([["a.txt", "A"]]);
    const fs = live(stored);
    expect(read(fs, "/app/a.txt")).toBe("A");
    write(fs, "/app/a.txt", "B");
    commit(stored, fs.journal().entries);
    fs.rebaseWorkspace({});
    // Back to the bytes the first run loaded: a change against storage ("B"), so journaled.
    write(fs, "/app/a.txt", "A");
    expect(show(fs.journal().entries)).toEqual(["write a.txt=A"]);
  });

  it("replaces the seed files with the next program and keeps them out of the journal", () => {
    const fs = live(new Map([["a.txt", "A"]]));
    fs.rebaseWorkspace({ "user_code.lua": enc("second"), "lib/helper.lua": enc("h") });
    expect(read(fs, "/app/user_code.lua")).toBe("second");
    expect(read(fs, "/app/lib/helper.lua")).toBe("h");
    expect(fs.journal().entries).toEqual([]);
  });
});

describe("rebaseWorkspace when /app did not change (no walk)", () => {
  /** The journal the way a warm execution takes it, checked against a full comparison of /app. */
  function changes(fs: VirtualFs): string[] {
    const { journal, unjournaled } = fs.workspaceChanges();
    expect(journal).toEqual(fs.journal());
    expect(unjournaled).toEqual(fs.unjournaledPaths());
    return show(journal.entries);
  }

  /** The end of an execution: its changes committed, the next program placed. */
  function next(fs: VirtualFs, stored: Map<string, string>, program: string): void {
    commit(stored, fs.workspaceChanges().journal.entries);
    fs.rebaseWorkspace({ "user_code.lua": enc(program) });
  }

  it("sees every kind of change made after executions that changed nothing", () => {
    const stored = new Map([["a.txt", "A"]]);
    const fs = live(stored);
    const steps: [string, () => void, string[]][] = [
      ["rewrite", () => write(fs, "/app/a.txt", "B"), ["write a.txt=B"]],
      ["create", () => write(fs, "/app/n.txt", "N"), ["write n.txt=N"]],
      ["mkdir", () => void fs.mkdir("/app/d"), ["mkdir d"]],
      ["rename", () => fs.rename("/app/n.txt", "/app/d/m.txt"), ["delete n.txt", "write d/m.txt=N"]],
      ["truncate", () => {
        const f = fs.open("/app/a.txt", { write: true });
        if (!(f instanceof OpenFile)) throw new Error("not a file");
        f.truncate(0);
        f.close();
      }, ["write a.txt="]],
      ["unlink", () => fs.unlink("/app/d/m.txt"), ["delete d/m.txt"]],
      ["rmdir", () => fs.rmdir("/app/d"), ["delete d"]],
    ];
    let program = 0;
    for (const [, change, expected] of steps) {
      // Two executions that touch nothing in /app (one writes in /tmp): nothing to journal.
      next(fs, stored, `p${++program}`);
      expect(changes(fs)).toEqual([]);
      write(fs, "/tmp/scratch.txt", "t");
      next(fs, stored, `p${++program}`);
      expect(changes(fs)).toEqual([]);
      expect(read(fs, "/app/user_code.lua")).toBe(`p${program}`);
      change();
      expect(changes(fs)).toEqual(expected);
    }
    expect([...stored].sort()).toEqual([["a.txt", ""]]);
  });

  it("still reports paths no storage accepts, as a full comparison does", () => {
    const stored = new Map([["a.txt", "A"]]);
    const fs = live(stored);
    // Deeper than 1024 characters: kept in the live /app, never stored.
    let dir = "/app";
    for (let i = 0; i < 5; i++) fs.mkdir((dir = `${dir}/${String(i).repeat(250)}`));
    write(fs, `${dir}/deep.txt`, "D");
    expect(fs.workspaceChanges().unjournaled.length).toBeGreaterThan(0);
    next(fs, stored, "second");
    expect(changes(fs)).toEqual([]);
    next(fs, stored, "third");
    expect(changes(fs)).toEqual([]);
    expect(fs.workspaceChanges().unjournaled).toContain(`${dir.slice("/app/".length)}/deep.txt`);
  });
});
