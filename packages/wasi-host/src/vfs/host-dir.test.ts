import { execFileSync } from "node:child_process";
import * as nodeFs from "node:fs";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { VfsError } from "./errors.js";
import { nodeHostFs, type HostFs } from "./host-dir.js";
import type { DirInode } from "./inode.js";
import { OpenFile } from "./open-file.js";
import { createVirtualFs } from "./virtual-fs.js";

const tmp = mkdtempSync(join(tmpdir(), "vfs-host-"));
const mountRoot = join(tmp, "mount");
mkdirSync(join(mountRoot, "sub"), { recursive: true });
writeFileSync(join(mountRoot, "hello.txt"), "hello");
writeFileSync(join(mountRoot, "sub", "deep.txt"), "deep");
writeFileSync(join(tmp, "secret.txt"), "TOP-SECRET");
symlinkSync(join(tmp, "secret.txt"), join(mountRoot, "abs-link"));
symlinkSync("../secret.txt", join(mountRoot, "rel-link"));
symlinkSync("/", join(mountRoot, "root-link"));
symlinkSync(tmp, join(mountRoot, "dir-link"));
let haveFifo = true;
try {
  execFileSync("mkfifo", [join(mountRoot, "fifo")]);
} catch {
  haveFifo = false;
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A HostFs that records every host path it is asked about. */
function auditedHostFs(seen: string[]): HostFs {
  return {
    ...nodeHostFs,
    lstatSync: (p) => (seen.push(p), nodeHostFs.lstatSync(p)),
    readdirSync: (p) => (seen.push(p), nodeHostFs.readdirSync(p)),
    openSync: (p, f) => (seen.push(p), nodeHostFs.openSync(p, f)),
  };
}

function read(fs: ReturnType<typeof createVirtualFs>, path: string): string {
  const f = fs.open(path);
  if (!(f instanceof OpenFile)) throw new Error("not a file");
  return new TextDecoder().decode(f.inode.bytes());
}

describe("host directory mounts", () => {
  it("shows only regular files and directories: host symlinks and fifos are left out", () => {
    const fs = createVirtualFs({ mounts: [{ guestPath: "/external", hostPath: mountRoot }] });
    const names = fs.readdir(fs.resolve("/external") as DirInode).map((e) => e.name);
    expect(names).toEqual(["hello.txt", "sub"]);
    expect(haveFifo ? nodeFs.lstatSync(join(mountRoot, "fifo")).isFIFO() : true).toBe(true);
    expect(read(fs, "/external/hello.txt")).toBe("hello");
    expect(read(fs, "/external/sub/deep.txt")).toBe("deep");
  });

  it("never follows a host symlink to a secret outside the mount", () => {
    const seen: string[] = [];
    const fs = createVirtualFs({ mounts: [{ guestPath: "/external", hostPath: mountRoot }], hostFs: auditedHostFs(seen) });
    for (const p of ["/external/abs-link", "/external/rel-link", "/external/root-link/etc/passwd", "/external/dir-link/secret.txt", "/external/../secret.txt"]) {
      expect(() => fs.resolve(p)).toThrow(VfsError);
    }
    expect(seen.every((p) => p === mountRoot || p.startsWith(`${mountRoot}/`))).toBe(true);
  });

  it("lists and reads lazily: nothing below the root is touched until the guest looks", () => {
    const seen: string[] = [];
    const fs = createVirtualFs({ mounts: [{ guestPath: "/external", hostPath: mountRoot }], hostFs: auditedHostFs(seen) });
    expect(seen).toEqual([mountRoot]);
    fs.resolve("/external/sub");
    expect(seen).not.toContain(join(mountRoot, "sub", "deep.txt"));
    read(fs, "/external/sub/deep.txt");
    expect(seen).toContain(join(mountRoot, "sub", "deep.txt"));
  });

  it("refuses a mount whose host path is a symlink", () => {
    expect(() => createVirtualFs({ mounts: [{ guestPath: "/external", hostPath: join(mountRoot, "dir-link") }] })).toThrow(/not a directory/);
  });

  it("shows a directory swapped for a symlink after listing as empty, not the link's target", () => {
    const dir = join(tmp, "swapdir");
    mkdirSync(join(dir, "inner"), { recursive: true });
    const fs = createVirtualFs({ mounts: [{ guestPath: "/external", hostPath: dir }] });
    const inner = fs.resolve("/external/inner") as DirInode;
    rmSync(join(dir, "inner"), { recursive: true });
    symlinkSync(tmp, join(dir, "inner"));
    expect(fs.readdir(inner)).toEqual([]);
    expect(() => fs.resolve("/external/inner/secret.txt")).toThrow(VfsError);
  });

  it("fails with EIO when a listed file is swapped for a symlink before it is read", () => {
    const dir = join(tmp, "swap");
    mkdirSync(dir);
    writeFileSync(join(dir, "f.txt"), "ok");
    const fs = createVirtualFs({ mounts: [{ guestPath: "/external", hostPath: dir }] });
    fs.resolve("/external/f.txt");
    rmSync(join(dir, "f.txt"));
    symlinkSync(join(tmp, "secret.txt"), join(dir, "f.txt"));
    let errno = "";
    try {
      read(fs, "/external/f.txt");
    } catch (e) {
      errno = e instanceof VfsError ? e.errno : String(e);
    }
    expect(errno).toBe("io");
  });

  /** Lists f.txt, swaps it for `swap(path)` on the host, then reads it: the errno the guest gets. */
  function readAfterSwap(name: string, swap: (path: string) => void): string {
    const dir = join(tmp, name);
    mkdirSync(dir);
    writeFileSync(join(dir, "f.txt"), "ok");
    const fs = createVirtualFs({ mounts: [{ guestPath: "/external", hostPath: dir }] });
    fs.resolve("/external/f.txt");
    rmSync(join(dir, "f.txt"));
    swap(join(dir, "f.txt"));
    try {
      read(fs, "/external/f.txt");
      return "read";
    } catch (e) {
      return e instanceof VfsError ? e.errno : String(e);
    }
  }

  it("fails with EIO, at once, when a listed file is swapped for a FIFO (a blocking open hung the worker thread for good)", () => {
    expect(readAfterSwap("swap-fifo", (p) => execFileSync("mkfifo", [p]))).toBe("io");
  });

  it("fails with EIO when a listed file is swapped for a symlink to /dev/zero (it would read without end)", () => {
    expect(readAfterSwap("swap-zero", (p) => symlinkSync("/dev/zero", p))).toBe("io");
  });

  it("fails with EFBIG once the run has loaded maxHostReadBytes from host files (host memory guard)", () => {
    const dir = join(tmp, "budget");
    mkdirSync(dir);
    writeFileSync(join(dir, "a.bin"), new Uint8Array(600));
    writeFileSync(join(dir, "b.bin"), new Uint8Array(600));
    writeFileSync(join(dir, "c.bin"), new Uint8Array(400));
    const fs = createVirtualFs({ mounts: [{ guestPath: "/external", hostPath: dir }], maxHostReadBytes: 1000 });
    expect(read(fs, "/external/a.bin")).toHaveLength(600);
    let errno = "";
    try {
      read(fs, "/external/b.bin");
    } catch (e) {
      errno = e instanceof VfsError ? e.errno : String(e);
    }
    expect(errno).toBe("fbig");
    expect(read(fs, "/external/c.bin")).toHaveLength(400);
  });
});
