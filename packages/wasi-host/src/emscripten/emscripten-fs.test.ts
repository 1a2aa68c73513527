import { describe, expect, it } from "vitest";
import { createVirtualFs } from "../vfs/index.js";
import { EmErrno } from "./errno.js";
import { createFdImports } from "./fd-syscalls.js";
import { FdTable, MAX_FDS } from "./fd-table.js";
import { AT_FDCWD, createFsSyscalls, O, type FsState } from "./fs-syscalls.js";
import { GuestMemory } from "./guest-memory.js";
import { DIRENT_SIZE } from "./stat.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A VirtualFs with a workspace file and a read-only mount, and the syscalls over it. */
function setup(maxWorkspaceBytes?: number) {
  const fs = createVirtualFs({
    workspace: { entries: [{ path: "notes.txt", type: "file", size: 5, mtimeMs: 0 }], load: () => enc.encode("hello") },
    mounts: [{ guestPath: "/data/lua", files: { "mod.lua": enc.encode("return 1") } }],
    ...(maxWorkspaceBytes === undefined ? {} : { maxWorkspaceBytes }),
  });
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const st: FsState = { fs, mem, fds: new FdTable(), cwd: fs.workspace, cwdPath: "/app" };
  const out: string[] = [];
  const sys = createFsSyscalls(st);
  const fd = createFdImports(st, { stdin: enc.encode("in"), writeStdout: (b) => out.push(dec.decode(b)), writeStderr: () => undefined });
  let heap = 1024;
  const str = (s: string): number => {
    const p = heap;
    heap += mem.writeCString(p, s, 4096) + 1;
    return p;
  };
  /** Writes `data` to fd through one iovec; returns [errno, count]. */
  const write = (f: number, data: string): [number, number] => {
    const buf = str(data);
    mem.setU32(16, buf);
    mem.setU32(20, enc.encode(data).length);
    const e = fd.fd_write(f, 16, 1, 32);
    return [e, mem.u32(32)];
  };
  const read = (f: number, n: number): string => {
    mem.setU32(16, 40000);
    mem.setU32(20, n);
    expect(fd.fd_read(f, 16, 1, 32)).toBe(0);
    return dec.decode(mem.copyOut(40000, mem.u32(32)));
  };
  return { fs, mem, st, sys, fd, str, write, read, out };
}

describe("emscripten fs syscalls", () => {
  it("opens, writes, seeks and reads a workspace file, journaled", () => {
    const t = setup();
    const f = t.sys.__syscall_openat(AT_FDCWD, t.str("out.txt"), O.RDWR | O.CREAT | O.TRUNC);
    expect(f).toBeGreaterThan(2);
    expect(t.write(f, "abcdef")).toEqual([0, 6]);
    expect(t.fd.fd_seek(f, 2n, 0, 48)).toBe(0);
    expect(t.mem.view.getBigUint64(48, true)).toBe(2n);
    expect(t.read(f, 100)).toBe("cdef");
    expect(t.fd.fd_close(f)).toBe(0);
    expect(t.fd.fd_close(f)).toBe(EmErrno.BADF);
    expect(t.fs.journal().entries.map((e) => e.path)).toContain("out.txt");
  });

  it("reads lazy workspace files relative to the cwd and absolute paths", () => {
    const t = setup();
    const a = t.sys.__syscall_openat(AT_FDCWD, t.str("notes.txt"), 0);
    const b = t.sys.__syscall_openat(AT_FDCWD, t.str("/app/notes.txt"), 0);
    expect(t.read(a, 10)).toBe("hello");
    expect(t.read(b, 3)).toBe("hel");
  });

  it("rejects path traversal out of /app to host files", () => {
    const t = setup();
    for (const p of ["/etc/passwd", "/app/../../../etc/passwd", "../../etc/passwd"]) {
      expect(t.sys.__syscall_openat(AT_FDCWD, t.str(p), 0)).toBe(-EmErrno.NOENT);
    }
  });

  it("refuses writes, removal and renames on read-only mounts", () => {
    const t = setup();
    expect(t.sys.__syscall_openat(AT_FDCWD, t.str("/data/lua/mod.lua"), O.WRONLY | O.TRUNC)).toBe(-EmErrno.ROFS);
    expect(t.sys.__syscall_unlinkat(AT_FDCWD, t.str("/data/lua/mod.lua"), 0)).toBe(-EmErrno.ROFS);
    expect(t.sys.__syscall_renameat(AT_FDCWD, t.str("/data/lua/mod.lua"), AT_FDCWD, t.str("/app/m.lua"))).toBeLessThan(0);
    expect(t.sys.__syscall_openat(AT_FDCWD, t.str("/newfile"), O.WRONLY | O.CREAT)).toBeLessThan(0);
  });

  it("stats files and lists directories with getdents64", () => {
    const t = setup();
    expect(t.sys.__syscall_stat64(t.str("/app/notes.txt"), 2048)).toBe(0);
    expect(t.mem.u32(2048 + 4) & 0o170000).toBe(0o100000);
    expect(t.mem.view.getBigInt64(2048 + 24, true)).toBe(5n);
    const d = t.sys.__syscall_openat(AT_FDCWD, t.str("/app"), O.DIRECTORY);
    const n = t.sys.__syscall_getdents64(d, 8192, DIRENT_SIZE * 8);
    const names = [];
    for (let p = 8192; p < 8192 + n; p += DIRENT_SIZE) names.push(t.mem.cstring(p + 19));
    expect(names).toEqual([".", "..", "notes.txt"]);
    expect(t.sys.__syscall_getdents64(d, 8192, DIRENT_SIZE * 8)).toBe(0);
  });

  it("unlinks and renames inside /app", () => {
    const t = setup();
    expect(t.sys.__syscall_renameat(AT_FDCWD, t.str("notes.txt"), AT_FDCWD, t.str("moved.txt"))).toBe(0);
    expect(t.sys.__syscall_unlinkat(AT_FDCWD, t.str("moved.txt"), 0)).toBe(0);
    expect(t.sys.__syscall_openat(AT_FDCWD, t.str("moved.txt"), 0)).toBe(-EmErrno.NOENT);
  });

  it("sends fd 1 to the stdout sink, reads stdin on fd 0 and reports stdio as terminals", () => {
    const t = setup();
    expect(t.write(1, "printed")).toEqual([0, 7]);
    expect(t.out).toEqual(["printed"]);
    expect(t.read(0, 10)).toBe("in");
    expect(t.fd.__syscall_ioctl(1, 0x5413, 0)).toBe(0);
    const f = t.sys.__syscall_openat(AT_FDCWD, t.str("notes.txt"), 0);
    expect(t.fd.__syscall_ioctl(f, 0x5413, 0)).toBe(-EmErrno.NOTTY);
    expect(t.fd.fd_seek(1, 0n, 0, 48)).toBe(EmErrno.SPIPE);
  });

  it("rejects operations on fds that were never opened", () => {
    const t = setup();
    expect(t.fd.fd_write(77, 16, 0, 32)).toBe(EmErrno.BADF);
    expect(t.fd.__syscall_fcntl64(77, 3, 0)).toBe(-EmErrno.BADF);
    expect(t.sys.__syscall_fstat64(77, 2048)).toBe(-EmErrno.BADF);
  });
});

describe("emscripten fds and the workspace cap (issues 22.7, 13.1)", () => {
  it("openat(O_CREAT) failing with EMFILE creates nothing, and O_TRUNC truncates nothing", () => {
    const t = setup();
    const keep = t.sys.__syscall_openat(AT_FDCWD, t.str("keep.txt"), O.WRONLY | O.CREAT);
    expect(t.write(keep, "precious")).toEqual([0, 8]);
    while (t.sys.__syscall_openat(AT_FDCWD, t.str("."), O.DIRECTORY) >= 0);
    expect(t.sys.__syscall_openat(AT_FDCWD, t.str("ghost.txt"), O.WRONLY | O.CREAT)).toBe(-EmErrno.MFILE);
    expect(t.sys.__syscall_openat(AT_FDCWD, t.str("keep.txt"), O.WRONLY | O.TRUNC)).toBe(-EmErrno.MFILE);
    expect(() => t.fs.stat("/app/ghost.txt")).toThrow();
    expect(t.fs.stat("/app/keep.txt").size).toBe(8);
    expect(t.fs.journal().entries.map((e) => e.path)).toEqual(["keep.txt"]);
  });

  it("an unlinked file counts until the last dup'ed fd of it is closed", () => {
    const t = setup(1000);
    const a = t.sys.__syscall_openat(AT_FDCWD, t.str("a"), O.WRONLY | O.CREAT);
    expect(t.write(a, "x".repeat(900))).toEqual([0, 900]);
    const dup = t.fd.__syscall_dup(a);
    expect(t.sys.__syscall_unlinkat(AT_FDCWD, t.str("a"), 0)).toBe(0);
    const b = t.sys.__syscall_openat(AT_FDCWD, t.str("b"), O.WRONLY | O.CREAT);
    expect(t.fd.fd_close(a)).toBe(0);
    expect(t.write(b, "y".repeat(200))[0]).toBe(EmErrno.NOSPC);
    expect(t.fd.fd_close(dup)).toBe(0);
    expect(t.write(b, "y".repeat(1000))).toEqual([0, 1000]);
  });

  it("dup3 onto an fd past the table's size is EBADF (fd numbers stay bounded)", () => {
    const t = setup();
    const a = t.sys.__syscall_openat(AT_FDCWD, t.str("a"), O.WRONLY | O.CREAT);
    expect(t.fd.__syscall_dup3(a, MAX_FDS, 0)).toBe(-EmErrno.BADF);
    expect(t.fd.__syscall_dup3(a, 2 ** 30, 0)).toBe(-EmErrno.BADF);
    expect(t.fd.__syscall_dup3(a, MAX_FDS - 1, 0)).toBe(MAX_FDS - 1);
  });
});
