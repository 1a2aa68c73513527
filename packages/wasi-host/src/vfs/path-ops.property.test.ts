import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { VfsError } from "./errors.js";
import { nodeHostFs, type HostFs } from "./host-dir.js";
import type { DirInode, Inode } from "./inode.js";
import { OpenFile } from "./open-file.js";
import { createVirtualFs, type VirtualFs } from "./virtual-fs.js";

const SECRET = "HOST-SECRET-7f3a";
const tmp = mkdtempSync(join(tmpdir(), "vfs-prop-"));
const mountRoot = join(tmp, "mount");
mkdirSync(join(mountRoot, "a"), { recursive: true });
writeFileSync(join(mountRoot, "a", "file"), "mounted");
writeFileSync(join(tmp, "secret"), SECRET);
symlinkSync("../../secret", join(mountRoot, "a", "escape"));
symlinkSync("/", join(mountRoot, "rootlink"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const names = ["a", "b", "file", "app", "data", "host", "etc", "passwd", "secret", "escape", "rootlink", ".", "..", ""];
const component = fc.constantFrom(...names);
const path = fc
  .tuple(fc.boolean(), fc.array(component, { minLength: 1, maxLength: 8 }), fc.nat({ maxLength: 12 } as never))
  .map(([abs, parts, ups]) => `${abs ? "/" : ""}${"../".repeat(ups % 12)}${parts.join("/")}`);

type Op =
  | { op: "mkdir"; p: string }
  | { op: "symlink"; target: string; p: string }
  | { op: "open"; p: string; create: boolean; write: boolean }
  | { op: "rename"; from: string; to: string }
  | { op: "unlink"; p: string }
  | { op: "rmdir"; p: string }
  | { op: "resolve"; p: string; follow: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("mkdir" as const), p: path }),
  fc.record({ op: fc.constant("symlink" as const), target: path, p: path }),
  fc.record({ op: fc.constant("open" as const), p: path, create: fc.boolean(), write: fc.boolean() }),
  fc.record({ op: fc.constant("rename" as const), from: path, to: path }),
  fc.record({ op: fc.constant("unlink" as const), p: path }),
  fc.record({ op: fc.constant("rmdir" as const), p: path }),
  fc.record({ op: fc.constant("resolve" as const), p: path, follow: fc.boolean() }),
);

function reachable(fs: VirtualFs): Set<Inode> {
  const seen = new Set<Inode>([fs.root]);
  const walk = (dir: DirInode): void => {
    for (const child of dir.children.values()) {
      seen.add(child);
      if (child.kind === "directory") {
        // Structural invariant: `..` of every directory is the directory holding it.
        expect(child.parent).toBe(dir);
        walk(child);
      }
    }
  };
  walk(fs.root);
  return seen;
}

function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof VfsError) return null;
    throw e;
  }
}

describe("random path operations (property-based)", () => {
  it("never resolve outside the virtual tree and never touch host paths outside the mount", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), fc.constantFrom("/", "/app", "/app/a"), (ops, startPath) => {
        const touched: string[] = [];
        const opened: string[] = [];
        const audit: HostFs = {
          ...nodeHostFs,
          lstatSync: (p) => (touched.push(p), nodeHostFs.lstatSync(p)),
          readdirSync: (p) => (touched.push(p), nodeHostFs.readdirSync(p)),
          openSync: (p, f) => (touched.push(p), opened.push(p), nodeHostFs.openSync(p, f)),
        };
        const fs = createVirtualFs({
          mounts: [
            { guestPath: "/data/host", hostPath: mountRoot },
            { guestPath: "/data/mem", files: { "a/file": new TextEncoder().encode("mem") } },
          ],
          hostFs: audit,
        });
        attempt(() => fs.mkdir("/app/a"));
        const start = fs.resolve(startPath) as DirInode;
        for (const o of ops) {
          const from = { from: start };
          switch (o.op) {
            case "mkdir":
              attempt(() => fs.mkdir(o.p, from));
              break;
            case "symlink":
              attempt(() => fs.symlink(o.target, o.p, from));
              break;
            case "open": {
              const opened = attempt(() => fs.open(o.p, { ...from, create: o.create, write: o.write }));
              if (opened instanceof OpenFile) {
                expect(reachable(fs).has(opened.inode)).toBe(true);
                expect(new TextDecoder().decode(opened.inode.bytes())).not.toContain(SECRET);
                if (o.write) attempt(() => opened.write(new TextEncoder().encode("w")));
              }
              break;
            }
            case "rename":
              attempt(() => fs.rename(o.from, o.to, { from: start, toFrom: start }));
              break;
            case "unlink":
              attempt(() => fs.unlink(o.p, from));
              break;
            case "rmdir":
              attempt(() => fs.rmdir(o.p, from));
              break;
            case "resolve": {
              const inode = attempt(() => fs.resolve(o.p, { ...from, follow: o.follow }));
              if (inode !== null) expect(reachable(fs).has(inode)).toBe(true);
              // `..` above the root is clamped, so a leading "/.." changes nothing.
              if (o.p.startsWith("/")) expect(attempt(() => fs.resolve(`/..${o.p}`, { follow: o.follow }))).toBe(inode === null ? null : attempt(() => fs.resolve(o.p, { follow: o.follow })));
              break;
            }
          }
        }
        // Only mount points at /, read-only mounts unchanged, host access confined.
        expect([...fs.root.children.keys()].sort()).toEqual(["app", "data", "tmp"]);
        expect([...(fs.resolve("/data") as DirInode).children.keys()].sort()).toEqual(["host", "mem"]);
        expect(new TextDecoder().decode((fs.open("/data/mem/a/file") as OpenFile).inode.bytes())).toBe("mem");
        expect(touched.every((p) => p === mountRoot || p.startsWith(`${mountRoot}/`))).toBe(true);
        // Host symlinks may be lstat'ed while listing, but are never opened or listed.
        expect(opened.every((p) => p === join(mountRoot, "a", "file"))).toBe(true);
        expect(touched.some((p) => p.includes("secret") || p.startsWith(join(mountRoot, "rootlink/")))).toBe(false);
      }),
      { numRuns: 300, seed: 20240101 },
    );
  });

  it("resolves a relative path from /app exactly as /app/<path>", () => {
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(path, component), { maxLength: 6 }), (parts, links) => {
        const fs = createVirtualFs();
        for (const n of ["a", "b"]) attempt(() => fs.mkdir(`/app/${n}`));
        for (const [target, name] of links) attempt(() => fs.symlink(target, `/app/a/${name}`));
        const rel = parts.join("/");
        fc.pre(rel !== "" && !rel.startsWith("/"));
        const viaFrom = attempt(() => fs.resolve(rel, { from: fs.workspace }));
        const viaAbs = attempt(() => fs.resolve(`/app/${rel}`));
        expect(viaFrom).toBe(viaAbs);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
