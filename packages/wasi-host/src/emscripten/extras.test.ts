import { describe, expect, it } from "vitest";
import { createVirtualFs } from "../vfs/index.js";
import { EmErrno } from "./errno.js";
import { FdTable } from "./fd-table.js";
import { AT_FDCWD, createFsSyscalls, O, type FsState } from "./fs-syscalls.js";
import { GuestMemory } from "./guest-memory.js";
import { createPathExtras, createPositionalIo } from "./path-extras.js";
import { createClockImports, createRuntimeExtras } from "./runtime-extras.js";
import { createTimeImports } from "./time.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

function setup() {
  const fs = createVirtualFs({
    workspace: { entries: [{ path: "notes.txt", type: "file", size: 5, mtimeMs: 0 }], load: () => enc.encode("hello") },
    mounts: [{ guestPath: "/data/ro", files: { "f.txt": enc.encode("ro") } }],
  });
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const st: FsState = { fs, mem, fds: new FdTable(), cwd: fs.workspace, cwdPath: "/app" };
  const slept: bigint[] = [];
  const extras = createPathExtras(st, (ns) => slept.push(ns));
  const sys = createFsSyscalls(st);
  let heap = 4096;
  const str = (s: string): number => {
    const p = heap;
    heap += mem.writeCString(p, s, 4096) + 1;
    return p;
  };
  return { fs, mem, st, extras, sys, str, slept, io: createPositionalIo(st) };
}

describe("emscripten path extras", () => {
  it("reads and writes at an offset without moving the position", () => {
    const { mem, sys, str, io } = setup();
    const fd = sys.__syscall_openat(AT_FDCWD, str("notes.txt"), O.RDWR);
    mem.setU32(16, str("XY"));
    mem.setU32(20, 2);
    expect(io.fd_pwrite(fd, 16, 1, 3n, 32)).toBe(0);
    mem.setU32(16, 40000);
    mem.setU32(20, 5);
    expect(io.fd_pread(fd, 16, 1, 0n, 32)).toBe(0);
    expect(dec.decode(mem.subarray(40000, mem.u32(32)))).toBe("helXY");
    expect(io.fd_pread(99, 16, 1, 0n, 32)).toBe(EmErrno.BADF);
  });

  it("accepts chmod on writable files, refuses it on read-only mounts and refuses chown", () => {
    const { extras, str } = setup();
    expect(extras.__syscall_chmod(str("/app/notes.txt"))).toBe(0);
    expect(extras.__syscall_chmod(str("/data/ro/f.txt"))).toBe(-EmErrno.ROFS);
    expect(extras.__syscall_chmod(str("/app/missing"))).toBe(-EmErrno.NOENT);
    expect(extras.__syscall_fchownat(AT_FDCWD, str("/app/notes.txt"), 0, 0, 0)).toBe(-EmErrno.PERM);
  });

  it("truncates by path, creates symlinks inside the virtual tree and sets times", () => {
    const { fs, mem, extras, str } = setup();
    expect(extras.__syscall_truncate64(str("notes.txt"), 2n)).toBe(0);
    expect(fs.stat("/app/notes.txt").size).toBe(2);
    expect(extras.__syscall_symlinkat(str("/etc/passwd"), AT_FDCWD, str("l"))).toBe(0);
    expect(fs.readlink("/app/l")).toBe("/etc/passwd");
    mem.view.setBigInt64(64, 7n, true);
    mem.setI32(72, 0);
    mem.view.setBigInt64(80, 9n, true);
    mem.setI32(88, 0);
    expect(extras.__syscall_utimensat(AT_FDCWD, str("notes.txt"), 64, 0)).toBe(0);
    expect(fs.stat("/app/notes.txt").mtimeNs).toBe(9_000_000_000n);
  });

  it("makes poll a sleep when nothing can become ready, and reports ready files at once", () => {
    const { mem, sys, str, extras, slept } = setup();
    expect(extras.__syscall_poll(0, 0, 250)).toBe(0);
    expect(slept).toEqual([250_000_000n]);
    const fd = sys.__syscall_openat(AT_FDCWD, str("notes.txt"), O.RDWR);
    mem.setI32(128, fd);
    mem.view.setInt16(132, 0x1 | 0x4, true);
    mem.setI32(136, 77);
    mem.view.setInt16(140, 0x1, true);
    expect(extras.__syscall_poll(128, 2, 1000)).toBe(2); // the ready file and the invalid fd
    expect(mem.view.getInt16(134, true)).toBe(0x5);
    expect(mem.view.getInt16(142, true)).toBe(0x20);
    expect(slept.length).toBe(1);
  });
});

describe("emscripten runtime extras", () => {
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const clock = { realtimeNs: () => 5n, monotonicNs: () => 7n, fillRandom: (b: Uint8Array) => b.fill(3) };
  const rt = createRuntimeExtras({ mem, clock, capBytes: 10 * 65536 + 5, programName: "python", table: () => undefined, writeStderr: () => undefined });

  it("refuses sockets, name lookups, dlopen and file mappings", () => {
    expect(rt.__syscall_socket()).toBe(-EmErrno.ACCES);
    expect(rt.__syscall_connect()).toBe(-EmErrno.NOTSOCK);
    expect(rt.getaddrinfo()).toBeLessThan(0);
    expect(rt._dlopen_js()).toBe(0);
    expect(rt._mmap_js()).toBe(-EmErrno.NODEV);
    expect(() => rt._emscripten_dlopen_js()).toThrow(WebAssembly.RuntimeError);
    expect(() => rt._abort_js()).toThrow(WebAssembly.RuntimeError);
  });

  it("reports the capped heap and the program name", () => {
    expect(rt.emscripten_get_heap_max()).toBe(10 * 65536);
    rt._emscripten_get_progname(100, 4);
    expect(mem.cstring(100)).toBe("pyt");
  });

  it("reads clocks and randomness through the run clock", () => {
    const c = createClockImports(mem, clock);
    expect(c.clock_time_get(0, 0n, 200)).toBe(0);
    expect(mem.view.getBigUint64(200, true)).toBe(5n);
    expect(c.clock_time_get(1, 0n, 200)).toBe(0);
    expect(mem.view.getBigUint64(200, true)).toBe(7n);
    expect(c.clock_time_get(9, 0n, 200)).toBe(28);
    expect(c.random_get(300, 4)).toBe(0);
    expect([...mem.subarray(300, 4)]).toEqual([3, 3, 3, 3]);
  });

  it("fills the name buffers of the newer _tzset_js ABI with UTC", () => {
    const t = createTimeImports(mem, clock, () => undefined);
    mem.setI32(400, 99);
    t._tzset_js(400, 404, 420, 440);
    expect([mem.i32(400), mem.cstring(420), mem.cstring(440)]).toEqual([0, "UTC", "UTC"]);
  });

  it("refuses path arguments that are not valid UTF-8 (attack: bytes names that would be replaced by U+FFFD) or longer than PATH_MAX", () => {
    const { fs, mem, sys } = setup();
    const raw = (bytes: number[]): number => {
      mem.u8.set([...bytes, 0], 8192);
      return 8192;
    };
    for (const name of [[0xff], [0xfe], [0xed, 0xa0, 0x80]]) {
      expect(sys.__syscall_openat(AT_FDCWD, raw([...enc.encode("/app/"), ...name]), O.WRONLY | O.CREAT)).toBe(-EmErrno.ILSEQ);
    }
    expect(sys.__syscall_mkdirat(AT_FDCWD, raw(Array.from(enc.encode(`/app/${"a/".repeat(2100)}`))))).toBe(-EmErrno.NAMETOOLONG);
    expect(fs.readdir(fs.workspace).map((e) => e.name)).toEqual(["notes.txt"]);
  });

  it("stops chdir at PATH_MAX (attack: 10k nested directories entered one by one stay linear, the cwd stays put)", () => {
    const { st, sys, str } = setup();
    const d = str("d");
    let depth = 0;
    for (; depth < 10_000; depth++) {
      expect(sys.__syscall_mkdirat(AT_FDCWD, d)).toBe(0);
      if (sys.__syscall_chdir(d) !== 0) break;
    }
    expect(depth).toBeGreaterThan(1000);
    expect(depth).toBeLessThan(2100);
    expect(sys.__syscall_chdir(d)).toBe(-EmErrno.NAMETOOLONG);
    expect(st.cwdPath.length).toBeLessThanOrEqual(4096);
    expect(st.cwdPath.endsWith("/d")).toBe(true);
  });
});
