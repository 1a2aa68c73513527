import type { Journal, WorkspaceEntry } from "@llm-wasm-sandbox/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VfsError } from "./errors.js";
import type { DirInode } from "./inode.js";
import { OpenFile } from "./open-file.js";
import { createVirtualFs, type VirtualFs } from "./virtual-fs.js";

type State = Map<string, string | null>; // path → file text, or null for a directory

const INITIAL: Array<[string, string | null]> = [
  ["a", null],
  ["a/x", "ax"],
  ["a/b", null],
  ["a/b/y", "aby"],
  ["f", "f"],
  ["g", "g"],
  ["e", null],
  ["e2", null],
];

/** What a storage adapter does with a journal: entries in order. */
function apply(state: State, journal: Journal): State {
  const next = new Map(state);
  const parents = (path: string): void => {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const p = parts.slice(0, i).join("/");
      expect(next.get(p) ?? null).toBeNull();
      next.set(p, null);
    }
  };
  for (const e of journal.entries) {
    if (e.op === "delete") {
      for (const k of [...next.keys()]) if (k === e.path || k.startsWith(`${e.path}/`)) next.delete(k);
    } else if (e.op === "mkdir") {
      parents(e.path);
      expect(next.get(e.path) ?? null).toBeNull();
      next.set(e.path, null);
    } else {
      parents(e.path);
      expect(typeof next.get(e.path) === "string" || !next.has(e.path)).toBe(true);
      next.set(e.path, new TextDecoder().decode(e.data));
    }
  }
  return next;
}

function snapshot(fs: VirtualFs): State {
  const out: State = new Map();
  const walk = (dir: DirInode, prefix: string): void => {
    for (const [name, inode] of dir.children) {
      const path = prefix === "" ? name : `${prefix}/${name}`;
      if (inode.kind === "directory") {
        out.set(path, null);
        walk(inode, path);
      } else if (inode.kind === "file") out.set(path, new TextDecoder().decode(inode.bytes()));
    }
  };
  walk(fs.workspace, "");
  return out;
}

const name = fc.constantFrom("a", "b", "f", "g", "x", "y", "n", "e", "e2");
const rel = fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => `/app/${p.join("/")}`);
const op = fc.oneof(
  fc.record({ op: fc.constant("write" as const), p: rel, text: fc.constantFrom("", "ax", "f", "new", "other"), trunc: fc.boolean() }),
  fc.record({ op: fc.constant("mkdir" as const), p: rel }),
  fc.record({ op: fc.constant("unlink" as const), p: rel }),
  fc.record({ op: fc.constant("rmdir" as const), p: rel }),
  fc.record({ op: fc.constant("rename" as const), p: rel, to: rel }),
  fc.record({ op: fc.constant("symlink" as const), p: rel, to: rel }),
);

describe("journal (property-based)", () => {
  it("applied in order to the initial state, reproduces /app exactly", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const texts = new Map(INITIAL.filter(([, t]) => t !== null) as Array<[string, string]>);
        const entries: WorkspaceEntry[] = INITIAL.map(([path, t]) => ({ path, type: t === null ? "directory" : "file", size: t?.length ?? 0, mtimeMs: 0 }));
        const fs = createVirtualFs({ workspace: { entries, load: (p) => new TextEncoder().encode(texts.get(p) ?? "") } });
        for (const o of ops) {
          try {
            if (o.op === "write") {
              const f = fs.open(o.p, { create: true, write: true, truncate: o.trunc });
              if (f instanceof OpenFile) f.write(new TextEncoder().encode(o.text));
            } else if (o.op === "mkdir") fs.mkdir(o.p);
            else if (o.op === "unlink") fs.unlink(o.p);
            else if (o.op === "rmdir") fs.rmdir(o.p);
            else if (o.op === "rename") fs.rename(o.p, o.to);
            else fs.symlink(o.to, o.p);
          } catch (e) {
            if (!(e instanceof VfsError)) throw e;
          }
        }
        const journal = fs.journal();
        const expected = snapshot(fs);
        expect(apply(new Map(INITIAL), journal)).toEqual(expected);
        // A deleted tree is one delete of its top-most path.
        const deletes = journal.entries.filter((e) => e.op === "delete").map((e) => e.path);
        for (const p of deletes) expect(deletes.some((q) => p.startsWith(`${q}/`))).toBe(false);
        // Collapsed: every path appears at most once per op kind.
        for (const kind of ["delete", "mkdir", "write"]) {
          const paths = journal.entries.filter((e) => e.op === kind).map((e) => e.path);
          expect(new Set(paths).size).toBe(paths.length);
        }
        // changedPaths agrees with the journal's writes and the initial listing.
        const changed = fs.changedPaths();
        const initialFiles = new Set(texts.keys());
        for (const p of changed.created) expect(initialFiles.has(p)).toBe(false);
        for (const p of changed.modified) expect(expected.get(p)).not.toBe(texts.get(p));
        for (const p of changed.deleted) expect(typeof expected.get(p) === "string" && p !== "").toBe(false);
      }),
      { numRuns: 400, seed: 424242 },
    );
  });
});
