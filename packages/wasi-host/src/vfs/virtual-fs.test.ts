import { describe, expect, it } from "vitest";
import { VfsError, type ErrnoName } from "./errors.js";
import { DirInode, FileInode } from "./inode.js";
import { OpenFile } from "./open-file.js";
import { MAX_SYMLINK_HOPS } from "./resolve.js";
import { createVirtualFs, type VirtualFs } from "./virtual-fs.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

function errnoOf(f: () => unknown): ErrnoName | "ok" {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof VfsError) return e.errno;
    throw e;
  }
}

function fsWithData(): VirtualFs {
  return createVirtualFs({
    workspace: { entries: [{ path: "notes/a.txt", type: "file", size: 5, mtimeMs: 0 }], load: () => enc("hello") },
    mounts: [{ guestPath: "/data/ref", files: { "x/y.txt": enc("ref") } }, { guestPath: "/external", files: {} }],
  });
}

function readAll(fs: VirtualFs, path: string): string {
  const f = fs.open(path);
  if (!(f instanceof OpenFile)) throw new Error("not a file");
  const buf = new Uint8Array(f.inode.size);
  f.read(buf);
  return dec(buf);
}

describe("path resolution", () => {
  it("lists only mount points at /", () => {
    const fs = fsWithData();
    expect(fs.readdir(fs.root).map((e) => e.name)).toEqual(["app", "data", "external", "tmp"]);
    expect(fs.readdir(fs.resolve("/data") as DirInode).map((e) => e.name)).toEqual(["ref"]);
  });

  it("clamps '..' at the virtual root (traversal from /app cannot leave the tree)", () => {
    const fs = fsWithData();
    expect(fs.resolve("/app/../../../..")).toBe(fs.root);
    expect(fs.resolve("../../../app/notes/a.txt", { from: fs.workspace })).toBeInstanceOf(FileInode);
    expect(errnoOf(() => fs.resolve("/app/../../../../etc/passwd"))).toBe("noent");
    expect(errnoOf(() => fs.resolve("../../etc/passwd", { from: fs.workspace }))).toBe("noent");
  });

  it("resolves absolute /etc/passwd inside the virtual tree, where it does not exist", () => {
    expect(errnoOf(() => fsWithData().resolve("/etc/passwd"))).toBe("noent");
  });

  it("interprets symlink targets in the virtual tree (to /, to /etc/passwd, to ../../..)", () => {
    const fs = fsWithData();
    fs.symlink("/", "/app/root");
    fs.symlink("/etc/passwd", "/app/pw");
    fs.symlink("../../..", "/app/up");
    expect(fs.resolve("/app/root")).toBe(fs.root);
    expect(fs.resolve("/app/up")).toBe(fs.root);
    expect(fs.resolve("/app/up/app/notes/a.txt")).toBeInstanceOf(FileInode);
    expect(errnoOf(() => fs.resolve("/app/pw"))).toBe("noent");
    expect(errnoOf(() => fs.resolve("/app/root/etc/passwd"))).toBe("noent");
    expect(fs.readlink("/app/pw")).toBe("/etc/passwd");
  });

  it("fails symlink loops with ELOOP and allows exactly MAX_SYMLINK_HOPS hops", () => {
    const fs = createVirtualFs();
    fs.symlink("b", "/app/a");
    fs.symlink("a", "/app/b");
    expect(errnoOf(() => fs.resolve("/app/a"))).toBe("loop");
    fs.symlink("/app/self", "/app/self");
    expect(errnoOf(() => fs.resolve("/app/self/x"))).toBe("loop");
    fs.writeAt(asFile(fs.open("/app/target", { create: true, write: true })).inode, enc("t"), 0);
    fs.symlink("target", "/app/l0");
    for (let i = 1; i <= MAX_SYMLINK_HOPS; i++) fs.symlink(`l${i - 1}`, `/app/l${i}`);
    expect(fs.resolve(`/app/l${MAX_SYMLINK_HOPS - 1}`)).toBeInstanceOf(FileInode);
    expect(errnoOf(() => fs.resolve(`/app/l${MAX_SYMLINK_HOPS}`))).toBe("loop");
  });

  it("honours O_NOFOLLOW (ELOOP on a final symlink) and lstat", () => {
    const fs = fsWithData();
    fs.symlink("notes/a.txt", "/app/link");
    expect(errnoOf(() => fs.open("/app/link", { follow: false }))).toBe("loop");
    expect(fs.stat("/app/link", { follow: false }).kind).toBe("symlink");
    expect(fs.stat("/app/link").kind).toBe("file");
  });

  it("rejects NUL bytes and over-long names", () => {
    const fs = fsWithData();
    expect(errnoOf(() => fs.resolve("/app/a\0b"))).toBe("inval");
    expect(errnoOf(() => fs.open(`/app/${"n".repeat(256)}`, { create: true, write: true }))).toBe("nametoolong");
    // Limits are in UTF-8 bytes: 130 × "é" is 260 bytes, 120 × "é" is 240.
    expect(errnoOf(() => fs.open(`/app/${"é".repeat(130)}`, { create: true, write: true }))).toBe("nametoolong");
    expect(errnoOf(() => fs.open(`/app/${"é".repeat(120)}`, { create: true, write: true }))).toBe("ok");
    expect(errnoOf(() => fs.resolve(`/app/${"d/".repeat(2100)}`))).toBe("nametoolong");
    expect(errnoOf(() => fs.symlink("x\0y", "/app/l"))).toBe("inval");
    expect(errnoOf(() => fs.resolve(""))).toBe("noent");
  });

  it("fails O_DIRECTORY on a file with ENOTDIR, and a trailing slash on a file too", () => {
    const fs = fsWithData();
    expect(errnoOf(() => fs.open("/app/notes/a.txt", { directory: true }))).toBe("notdir");
    expect(errnoOf(() => fs.resolve("/app/notes/a.txt/"))).toBe("notdir");
    expect(errnoOf(() => fs.resolve("/app/notes/a.txt/x"))).toBe("notdir");
  });
});

describe("mutations", () => {
  it("refuses every write to read-only mounts with EROFS", () => {
    const fs = fsWithData();
    expect(errnoOf(() => fs.open("/data/ref/x/y.txt", { write: true }))).toBe("rofs");
    expect(errnoOf(() => fs.open("/data/ref/x/y.txt", { truncate: true }))).toBe("rofs");
    expect(errnoOf(() => fs.open("/data/ref/new", { create: true, write: true }))).toBe("rofs");
    expect(errnoOf(() => fs.mkdir("/data/ref/d"))).toBe("rofs");
    expect(errnoOf(() => fs.unlink("/data/ref/x/y.txt"))).toBe("rofs");
    expect(errnoOf(() => fs.symlink("/app", "/external/l"))).toBe("rofs");
    expect(errnoOf(() => fs.setTimes(fs.resolve("/data/ref/x/y.txt"), 1n, 1n))).toBe("rofs");
    const file = asFile(fs.open("/data/ref/x/y.txt"));
    expect(errnoOf(() => fs.writeAt(file.inode, enc("z"), 0))).toBe("rofs");
    expect(errnoOf(() => file.write(enc("z")))).toBe("badf");
    expect(readAll(fs, "/data/ref/x/y.txt")).toBe("ref");
  });

  it("refuses writing into / itself with EACCES and removing mount points with EBUSY", () => {
    const fs = fsWithData();
    expect(errnoOf(() => fs.open("/evil", { create: true, write: true }))).toBe("acces");
    expect(errnoOf(() => fs.mkdir("/etc"))).toBe("acces");
    expect(errnoOf(() => fs.symlink("/", "/loop"))).toBe("acces");
    expect(errnoOf(() => fs.rmdir("/app"))).toBe("busy");
    expect(errnoOf(() => fs.rmdir("/data/ref"))).toBe("busy");
    expect(errnoOf(() => fs.unlink("/app"))).toBe("isdir");
  });

  it("refuses renaming /app itself or across mounts", () => {
    const fs = fsWithData();
    expect(errnoOf(() => fs.rename("/app", "/app2"))).toBe("busy");
    expect(errnoOf(() => fs.rename("/app", "/app/inner"))).toBe("busy");
    expect(errnoOf(() => fs.rename("/app/notes", "/"))).toBe("busy");
    expect(errnoOf(() => fs.rename("/app/notes/a.txt", "/data/ref/a.txt"))).toBe("rofs");
    expect(errnoOf(() => fs.rename("/data/ref/x", "/app/x"))).toBe("rofs");
    expect(fs.resolve("/app/notes/a.txt")).toBeInstanceOf(FileInode);
  });

  it("renames with POSIX rules", () => {
    const fs = createVirtualFs();
    fs.mkdir("/app/d");
    fs.mkdir("/app/d/sub");
    fs.mkdir("/app/e");
    fs.open("/app/f", { create: true, write: true });
    expect(errnoOf(() => fs.rename("/app/d", "/app/d/sub/x"))).toBe("inval");
    expect(errnoOf(() => fs.rename("/app/f", "/app/e"))).toBe("isdir");
    expect(errnoOf(() => fs.rename("/app/e", "/app/f"))).toBe("notdir");
    expect(errnoOf(() => fs.rename("/app/e", "/app/d"))).toBe("notempty");
    fs.rename("/app/d", "/app/e");
    expect(fs.readdir(fs.resolve("/app/e") as DirInode).map((e) => e.name)).toEqual(["sub"]);
    expect((fs.resolve("/app/e/sub") as DirInode).parent).toBe(fs.resolve("/app/e"));
  });

  it("implements open flags: create, exclusive, truncate, append", () => {
    const fs = createVirtualFs();
    const a = asFile(fs.open("/app/f", { create: true, write: true }));
    a.write(enc("hello world"));
    expect(errnoOf(() => fs.open("/app/f", { create: true, exclusive: true, write: true }))).toBe("exist");
    const b = asFile(fs.open("/app/f", { write: true, append: true }));
    b.write(enc("!"));
    expect(readAll(fs, "/app/f")).toBe("hello world!");
    asFile(fs.open("/app/f", { write: true, truncate: true }));
    expect(readAll(fs, "/app/f")).toBe("");
    expect(errnoOf(() => fs.open("/app/missing"))).toBe("noent");
    expect(errnoOf(() => fs.open("/app/newdir/", { create: true, write: true }))).toBe("isdir");
    fs.symlink("dangling-target", "/app/excl-link");
    expect(errnoOf(() => fs.open("/app/excl-link", { create: true, exclusive: true, write: true }))).toBe("exist");
    expect(errnoOf(() => fs.resolve("/app/dangling-target"))).toBe("noent");
    fs.mkdir("/app/d");
    expect(errnoOf(() => fs.open("/app/d", { create: true }))).toBe("isdir");
    expect(errnoOf(() => fs.open("/app/nd", { create: true, directory: true }))).toBe("inval");
    expect(errnoOf(() => fs.resolve("/app/nd"))).toBe("noent");
    expect(fs.open("/app/d")).toBeInstanceOf(DirInode);
  });

  it("creates through a dangling symlink inside the tree only", () => {
    const fs = createVirtualFs();
    fs.symlink("made.txt", "/app/dangling");
    asFile(fs.open("/app/dangling", { create: true, write: true })).write(enc("via link"));
    expect(readAll(fs, "/app/made.txt")).toBe("via link");
    fs.symlink("/etc/shadow", "/app/out");
    expect(errnoOf(() => fs.open("/app/out", { create: true, write: true }))).toBe("noent");
    fs.symlink("/newfile", "/app/toroot");
    expect(errnoOf(() => fs.open("/app/toroot", { create: true, write: true }))).toBe("acces");
  });

  it("zero-fills gaps and truncates both ways", () => {
    const fs = createVirtualFs();
    const f = asFile(fs.open("/app/f", { create: true, write: true, read: true }));
    f.pwrite(enc("ab"), 4);
    expect([...f.inode.bytes()]).toEqual([0, 0, 0, 0, 97, 98]);
    f.truncate(2);
    expect(f.inode.size).toBe(2);
    f.truncate(3);
    expect([...f.inode.bytes()]).toEqual([0, 0, 0]);
    expect(f.seek(-1, "end")).toBe(2);
    expect(errnoOf(() => f.seek(-10, "cur"))).toBe("inval");
  });

  it("never exposes stale bytes after shrinking (truncate-then-extend, write past the end)", () => {
    const fs = createVirtualFs();
    const f = asFile(fs.open("/app/f", { create: true, write: true, read: true }));
    f.write(enc("abcdefghij"));
    f.truncate(2);
    f.truncate(6);
    expect(dec(f.inode.bytes())).toBe("ab\0\0\0\0");
    f.truncate(1);
    f.pwrite(enc("Z"), 5);
    expect(dec(f.inode.bytes())).toBe("a\0\0\0\0Z");
    for (let i = 0; i < 5000; i++) f.write(enc("0123456789"));
    // The position stayed at 10 through the truncations (as POSIX ftruncate leaves it).
    expect(f.inode.size).toBe(10 + 50_000);
  });

  it("fails with ENOSPC once /app grows past maxWorkspaceBytes, and frees space on delete", () => {
    const fs = createVirtualFs({ maxWorkspaceBytes: 1000 });
    const f = asFile(fs.open("/app/big", { create: true, write: true }));
    f.write(new Uint8Array(900));
    expect(errnoOf(() => f.write(new Uint8Array(200)))).toBe("nospc");
    expect(f.inode.size).toBe(900);
    // Overwriting in place does not grow the workspace.
    f.pwrite(new Uint8Array(900), 0);
    expect(errnoOf(() => f.truncate(5000))).toBe("nospc");
    f.close();
    fs.unlink("/app/big");
    asFile(fs.open("/app/other", { create: true, write: true })).write(new Uint8Array(1000));
  });

  it("fails with ENOSPC once the run created maxCreatedInodes entries (inode flood)", () => {
    const fs = createVirtualFs({ maxCreatedInodes: 3 });
    fs.mkdir("/app/a");
    fs.symlink("a", "/app/b");
    fs.open("/app/c", { create: true, write: true });
    expect(errnoOf(() => fs.mkdir("/tmp/d"))).toBe("nospc");
    expect(errnoOf(() => fs.open("/app/e", { create: true, write: true }))).toBe("nospc");
  });

  it("refuses /app names no storage would accept (control characters, backslashes) with EINVAL", () => {
    const fs = createVirtualFs();
    expect(errnoOf(() => fs.open("/app/a\u0001b", { create: true, write: true }))).toBe("inval");
    expect(errnoOf(() => fs.mkdir("/app/a\\b"))).toBe("inval");
    fs.open("/app/ok", { create: true, write: true });
    expect(errnoOf(() => fs.rename("/app/ok", "/app/new\nline"))).toBe("inval");
    fs.open("/tmp/a\u0001b", { create: true, write: true });
    expect(fs.journal().entries.map((e) => e.path)).toEqual(["ok"]);
  });

  it("journals a workspace nested far deeper than the JS stack allows recursion", () => {
    const fs = createVirtualFs();
    let dir = fs.workspace;
    for (let i = 0; i < 6000; i++) dir = fs.mkdir("d", { from: dir });
    const entries = fs.journal().entries;
    // Paths past core's MAX_PATH_LENGTH (1024) cannot be stored: they are reported, not journaled.
    expect(entries.length).toBe(512);
    expect(entries[0]).toEqual({ op: "mkdir", path: "d" });
    expect(fs.unjournaledPaths().length).toBe(6000 - 512);
  });

  it("gives the run a writable /tmp that is never journaled and shares the growth cap", () => {
    const fs = createVirtualFs({ maxWorkspaceBytes: 10 });
    asFile(fs.open("/tmp/scratch", { create: true, write: true })).write(new Uint8Array(8));
    fs.mkdir("/tmp/d");
    expect(errnoOf(() => asFile(fs.open("/app/f", { create: true, write: true })).write(new Uint8Array(3)))).toBe("nospc");
    expect(errnoOf(() => fs.rename("/tmp/scratch", "/app/scratch"))).toBe("xdev");
    expect(errnoOf(() => fs.rmdir("/tmp"))).toBe("busy");
    expect(fs.journal().entries).toEqual([{ op: "write", path: "f", data: new Uint8Array(0) }]);
    expect(createVirtualFs({ scratch: false }).readdir(createVirtualFs({ scratch: false }).root).map((e) => e.name)).toEqual(["app"]);
  });

  it("retries a lazy load that failed (EIO once, then the bytes)", () => {
    let calls = 0;
    const fs = createVirtualFs({
      workspace: {
        entries: [{ path: "flaky.txt", type: "file", size: 2, mtimeMs: 0 }],
        load: () => {
          if (++calls === 1) throw new VfsError("io", "storage hiccup");
          return enc("ok");
        },
      },
    });
    expect(errnoOf(() => readAll(fs, "/app/flaky.txt"))).toBe("io");
    expect(readAll(fs, "/app/flaky.txt")).toBe("ok");
    expect(calls).toBe(2);
  });

  it("does not mutate the bytes given for seed files or returned by the loader", () => {
    const original = enc("abc");
    const fs = createVirtualFs({ workspace: { entries: [{ path: "w.txt", type: "file", size: 3, mtimeMs: 0 }], load: () => original } });
    asFile(fs.open("/app/w.txt", { write: true })).write(enc("XYZ"));
    expect(dec(original)).toBe("abc");
    expect(readAll(fs, "/app/w.txt")).toBe("XYZ");
  });
});

describe("workspace file times", () => {
  const make = (frozenTimes: boolean): VirtualFs =>
    createVirtualFs({
      workspace: { entries: [{ path: "a.txt", type: "file", size: 1, mtimeMs: 1_700_000_000_123 }], load: () => enc("a") },
      nowNs: () => 5_000_000_000n,
      frozenTimes,
    });

  it("show the times storage recorded", () => {
    expect(make(false).stat("/app/a.txt").mtimeNs).toBe(1_700_000_000_123_000_000n);
  });

  it("show the run's clock instead when deterministic (frozenTimes), like /app itself", () => {
    const fs = make(true);
    expect(fs.stat("/app/a.txt").mtimeNs).toBe(5_000_000_000n);
    expect(fs.stat("/app/a.txt").ctimeNs).toBe(fs.stat("/app").mtimeNs);
  });
});

function asFile(f: OpenFile | DirInode): OpenFile {
  if (!(f instanceof OpenFile)) throw new Error("expected a file");
  return f;
}
