import { describe, expect, it, vi } from "vitest";
import { ProcExit } from "../types.js";
import { createVirtualFs, type FileInode } from "../vfs/index.js";
import { FileType, LookupFlags, OFlags, Rights } from "./abi.js";
import { createGuestClock, DETERMINISTIC_EPOCH_NS, DETERMINISTIC_STEP_NS } from "./clock.js";
import { Errno } from "./errno.js";
import { CappedSink } from "./output-sink.js";
import { createWasiPreview1 } from "./preview1.js";
import { dec, enc, harness } from "./testing/preview1-harness.js";

describe("wasi preview1 imports on a fake memory", () => {
  it("exposes argv and exactly the given environment", () => {
    const h = harness();
    const a = h.alloc(8);
    expect(h.call("args_sizes_get", a, a + 4)).toBe(0);
    expect([h.dv().getUint32(a, true), h.dv().getUint32(a + 4, true)]).toEqual([3, 5 + 8 + 3]);
    const ptrs = h.alloc(12);
    const buf = h.alloc(32);
    expect(h.call("args_get", ptrs, buf)).toBe(0);
    const second = h.dv().getUint32(ptrs + 4, true);
    expect(dec(h.u8().subarray(second, second + 7))).toBe("arg one");
    expect(h.call("environ_sizes_get", a, a + 4)).toBe(0);
    expect(h.dv().getUint32(a, true)).toBe(2);
    expect(h.call("environ_get", ptrs, buf)).toBe(0);
    expect(dec(h.u8().subarray(buf, buf + 11))).toBe("A=1\0EMPTY=\0");
  });

  it("caps stdout, reports every write as complete, and never keeps bytes past the cap", () => {
    const h = harness({ stdoutMax: 10 });
    const out = h.alloc(4);
    for (let i = 0; i < 5; i++) {
      expect(h.call("fd_write", 1, h.iov(enc("abcdef")), 1, out)).toBe(0);
      expect(h.dv().getUint32(out, true)).toBe(6);
    }
    expect(h.stdout.text()).toBe("abcdefabcd");
    expect(h.stdout.truncated).toBe(true);
    expect(h.stdout.droppedBytes).toBe(20);
  });

  it("reads stdin from the buffer, then EOF", () => {
    const h = harness();
    const out = h.alloc(4);
    const v = h.iov(16);
    expect(h.call("fd_read", 0, v, 1, out)).toBe(0);
    expect(h.dv().getUint32(out, true)).toBe(5);
    expect(h.call("fd_read", 0, v, 1, out)).toBe(0);
    expect(h.dv().getUint32(out, true)).toBe(0);
  });

  it("reports stdout as a terminal-like character device (no seek/tell rights)", () => {
    const h = harness();
    const st = h.alloc(24);
    expect(h.call("fd_fdstat_get", 1, st)).toBe(0);
    expect(h.u8()[st]).toBe(FileType.characterDevice);
    expect(h.dv().getBigUint64(st + 8, true) & (Rights.fdSeek | Rights.fdTell)).toBe(0n);
    expect(h.call("fd_seek", 1, 0n, 0, h.alloc(8))).toBe(Errno.spipe);
  });

  it("lists preopens: /app at fd 3, then read-only mounts, then /", () => {
    const h = harness();
    const names: string[] = [];
    const pre = h.alloc(8);
    for (let fd = 3; ; fd++) {
      const errno = h.call("fd_prestat_get", fd, pre);
      if (errno !== 0) {
        expect(errno).toBe(Errno.badf);
        break;
      }
      const len = h.dv().getUint32(pre + 4, true);
      const buf = h.alloc(len);
      expect(h.call("fd_prestat_dir_name", fd, buf, len)).toBe(0);
      names.push(dec(h.u8().slice(buf, buf + len)));
    }
    expect(names).toEqual(["/app", "/data", "/tmp", "/"]);
  });

  it("path_open honours creat, excl, trunc, directory and append", () => {
    const h = harness();
    const out = h.alloc(8);
    expect(h.open("f.txt").errno).toBe(Errno.noent);
    const f = h.open("f.txt", OFlags.creat);
    expect(f.errno).toBe(0);
    expect(h.call("fd_write", f.fd, h.iov(enc("hello world")), 1, out)).toBe(0);
    expect(h.open("f.txt", OFlags.creat | OFlags.excl).errno).toBe(Errno.exist);
    expect(h.open("f.txt", OFlags.directory).errno).toBe(Errno.notdir);
    const app = h.open("f.txt", 0, Rights.fdWrite, 1);
    expect(h.call("fd_write", app.fd, h.iov(enc("!")), 1, out)).toBe(0);
    expect(h.call("fd_filestat_get", f.fd, out)).toBe(0);
    const stat = h.alloc(64);
    expect(h.call("fd_filestat_get", f.fd, stat)).toBe(0);
    expect(h.dv().getBigUint64(stat + 32, true)).toBe(12n);
    expect(h.u8()[stat + 16]).toBe(FileType.regularFile);
    expect(h.open("f.txt", OFlags.trunc, Rights.fdWrite).errno).toBe(0);
    expect(h.call("fd_filestat_get", f.fd, stat)).toBe(0);
    expect(h.dv().getBigUint64(stat + 32, true)).toBe(0n);
    expect(h.open("f.txt/", 0).errno).toBe(Errno.notdir);
  });

  it("seeks, tells, preads and pwrites", () => {
    const h = harness();
    const f = h.open("s.bin", OFlags.creat);
    const out = h.alloc(8);
    h.call("fd_write", f.fd, h.iov(enc("0123456789")), 1, out);
    expect(h.call("fd_seek", f.fd, -3n, 2, out)).toBe(0);
    expect(h.dv().getBigUint64(out, true)).toBe(7n);
    expect(h.call("fd_tell", f.fd, out)).toBe(0);
    expect(h.dv().getBigUint64(out, true)).toBe(7n);
    expect(h.call("fd_seek", f.fd, -100n, 1, out)).toBe(Errno.inval);
    const v = h.iov(4);
    expect(h.call("fd_pread", f.fd, v, 1, 2n, out)).toBe(0);
    const buf = h.dv().getUint32(v, true);
    expect(dec(h.u8().slice(buf, buf + 4))).toBe("2345");
    expect(h.call("fd_pwrite", f.fd, h.iov(enc("AB")), 1, 0n, out)).toBe(0);
    expect(dec((h.fs.resolve("/app/s.bin") as FileInode).bytes())).toBe("AB23456789");
  });

  it("fd_readdir returns cookies and cuts the last entry at the buffer end", () => {
    const h = harness();
    for (const n of ["alpha", "beta", "gamma"]) h.open(n, OFlags.creat);
    const dir = h.open(".", OFlags.directory, Rights.fdReaddir);
    expect(dir.errno).toBe(0);
    const used = h.alloc(4);
    const big = h.alloc(512);
    expect(h.call("fd_readdir", dir.fd, big, 512, 0n, used)).toBe(0);
    const total = h.dv().getUint32(used, true);
    const names: string[] = [];
    const cookies: bigint[] = [];
    for (let off = 0; off < total; ) {
      const namlen = h.dv().getUint32(big + off + 16, true);
      cookies.push(h.dv().getBigUint64(big + off, true));
      names.push(dec(h.u8().slice(big + off + 24, big + off + 24 + namlen)));
      off += 24 + namlen;
    }
    expect(names).toEqual([".", "..", "alpha", "beta", "gamma"]);
    expect(cookies).toEqual([1n, 2n, 3n, 4n, 5n]);
    const small = h.alloc(30);
    expect(h.call("fd_readdir", dir.fd, small, 30, 2n, used)).toBe(0);
    expect(h.dv().getUint32(used, true)).toBe(30);
    expect(dec(h.u8().slice(small + 24, small + 29))).toBe("alpha");
    expect(h.call("fd_readdir", dir.fd, small, 30, 5n, used)).toBe(0);
    expect(h.dv().getUint32(used, true)).toBe(0);
  });

  it("handles symlinks, readlink, lstat vs stat, unlink, rmdir, rename and refuses hard links", () => {
    const h = harness();
    h.open("target", OFlags.creat);
    const [t, tl] = h.str("target");
    const [l, ll] = h.str("link");
    expect(h.call("path_symlink", t, tl, 3, l, ll)).toBe(0);
    const buf = h.alloc(64);
    const used = h.alloc(4);
    expect(h.call("path_readlink", 3, l, ll, buf, 64, used)).toBe(0);
    expect(dec(h.u8().slice(buf, buf + h.dv().getUint32(used, true)))).toBe("target");
    const st = h.alloc(64);
    expect(h.call("path_filestat_get", 3, 0, l, ll, st)).toBe(0);
    expect(h.u8()[st + 16]).toBe(FileType.symbolicLink);
    expect(h.call("path_filestat_get", 3, LookupFlags.symlinkFollow, l, ll, st)).toBe(0);
    expect(h.u8()[st + 16]).toBe(FileType.regularFile);
    expect(h.call("path_link", 3, 0, t, tl, 3, l, ll)).toBe(Errno.notsup);
    const [d, dl] = h.str("dir");
    expect(h.call("path_create_directory", 3, d, dl)).toBe(0);
    expect(h.call("path_create_directory", 3, d, dl)).toBe(Errno.exist);
    expect(h.call("path_unlink_file", 3, d, dl)).toBe(Errno.isdir);
    const [n, nl] = h.str("dir/moved");
    expect(h.call("path_rename", 3, t, tl, 3, n, nl)).toBe(0);
    expect(h.call("path_remove_directory", 3, d, dl)).toBe(Errno.notempty);
    expect(h.call("path_unlink_file", 3, n, nl)).toBe(0);
    expect(h.call("path_remove_directory", 3, d, dl)).toBe(0);
    expect(h.call("path_unlink_file", 3, l, ll)).toBe(0);
    expect(h.fs.journal().entries).toEqual([]);
  });

  it("refuses writes through the read-only mount's preopen with EROFS, and into / with EACCES", () => {
    const h = harness();
    expect(h.open("ro.txt", 0, Rights.fdWrite, 0, 4).errno).toBe(Errno.rofs);
    expect(h.open("ro.txt", 0, Rights.fdRead, 0, 4).errno).toBe(0);
    expect(h.open("etc/passwd", 0, Rights.fdRead, 0, 6).errno).toBe(Errno.noent);
    expect(h.open("new", OFlags.creat, Rights.fdWrite, 0, 6).errno).toBe(Errno.acces);
    expect(h.open("new", OFlags.creat, Rights.fdWrite, 0, 5).errno).toBe(0);
    expect(h.open("../../../etc/passwd", 0, Rights.fdRead, 0, 3).errno).toBe(Errno.noent);
  });

  it("fails with ENOSPC when /app outgrows maxWorkspaceBytes", () => {
    const h = harness({ fs: createVirtualFs({ maxWorkspaceBytes: 16 }) });
    const f = h.open("big", OFlags.creat);
    const out = h.alloc(4);
    expect(h.call("fd_write", f.fd, h.iov(new Uint8Array(16)), 1, out)).toBe(0);
    expect(h.call("fd_write", f.fd, h.iov(new Uint8Array(1)), 1, out)).toBe(Errno.nospc);
  });

  it("returns EFAULT for out-of-bounds pointers and EILSEQ for invalid UTF-8 paths", () => {
    const h = harness();
    expect(h.call("fd_write", 1, 70_000, 1, 0)).toBe(Errno.fault);
    expect(h.call("args_sizes_get", -1, 0)).toBe(Errno.fault);
    const p = h.alloc(2);
    h.u8().set([0xff, 0xfe], p);
    expect(h.call("path_open", 3, 0, p, 2, 0, 0n, 0n, 0, h.alloc(4))).toBe(Errno.ilseq);
  });

  it("refuses oversized requests before allocating for them (iovec floods, giant paths, poll floods)", () => {
    const h = harness();
    const out = h.alloc(4);
    expect(h.call("fd_write", 1, h.alloc(8 * 1025), 1025, out)).toBe(Errno.inval);
    expect(h.call("path_open", 3, 0, 0, 60_000, 0, 0n, 0n, 0, out)).toBe(Errno.nametoolong);
    expect(h.call("poll_oneoff", 0, 0, 5000, out)).toBe(Errno.inval);
  });

  it("fd_readdir pages through a snapshot taken at cookie 0, so deleting while listing skips nothing", () => {
    const h = harness();
    for (let i = 0; i < 6; i++) h.open(`f${i}`, OFlags.creat);
    const dir = h.open(".", OFlags.directory, Rights.fdReaddir);
    const used = h.alloc(4);
    const buf = h.alloc(256);
    const page = (cookie: bigint): string[] => {
      expect(h.call("fd_readdir", dir.fd, buf, 60, cookie, used)).toBe(0);
      const names: string[] = [];
      for (let off = 0; off + 24 <= h.dv().getUint32(used, true); ) {
        const n = h.dv().getUint32(buf + off + 16, true);
        if (off + 24 + n > h.dv().getUint32(used, true)) break;
        names.push(dec(h.u8().slice(buf + off + 24, buf + off + 24 + n)));
        off += 24 + n;
      }
      return names;
    };
    expect(page(0n)).toEqual([".", ".."]);
    for (let i = 0; i < 3; i++) h.fs.unlink(`/app/f${i}`);
    expect(page(2n)).toEqual(["f0", "f1"]);
    expect(page(4n)).toEqual(["f2", "f3"]);
    expect(page(0n)).toEqual([".", ".."]);
    expect(page(2n)).toEqual(["f3", "f4"]);
  });

  it("closes and renumbers fds", () => {
    const h = harness();
    const f = h.open("x", OFlags.creat);
    const g = h.open("y", OFlags.creat);
    expect(h.call("fd_renumber", f.fd, g.fd)).toBe(0);
    expect(h.call("fd_close", f.fd)).toBe(Errno.badf);
    expect(h.call("fd_close", g.fd)).toBe(0);
    expect(h.call("fd_close", g.fd)).toBe(Errno.badf);
  });

  it("uses the deterministic clock and seeded random", () => {
    const h = harness();
    const t = h.alloc(8);
    expect(h.call("clock_time_get", 0, 0n, t)).toBe(0);
    expect(h.dv().getBigUint64(t, true)).toBe(DETERMINISTIC_EPOCH_NS);
    h.call("clock_time_get", 1, 0n, t);
    const m1 = h.dv().getBigUint64(t, true);
    h.call("clock_time_get", 1, 0n, t);
    expect(h.dv().getBigUint64(t, true) - m1).toBe(DETERMINISTIC_STEP_NS);
    expect(h.call("clock_time_get", 9, 0n, t)).toBe(Errno.inval);
    const randomOf = (seed: number): string => {
      const g = harness({ seed });
      const b = g.alloc(16);
      expect(g.call("random_get", b, 16)).toBe(0);
      return Buffer.from(g.u8().slice(b, b + 16)).toString("hex");
    };
    expect(randomOf(1)).toBe(randomOf(1));
    expect(randomOf(1)).not.toBe(randomOf(2));
  });

  it("poll_oneoff: a clock subscription advances virtual time; fd subscriptions are ready at once", () => {
    const h = harness();
    const sub = h.alloc(96);
    const ev = h.alloc(64);
    const n = h.alloc(4);
    h.dv().setBigUint64(sub, 77n, true);
    h.u8()[sub + 8] = 0;
    h.dv().setUint32(sub + 16, 0, true);
    h.dv().setBigUint64(sub + 24, 5_000_000_000n, true);
    expect(h.call("poll_oneoff", sub, ev, 1, n)).toBe(0);
    expect(h.dv().getUint32(n, true)).toBe(1);
    expect(h.dv().getBigUint64(ev, true)).toBe(77n);
    const t = h.alloc(8);
    h.call("clock_time_get", 0, 0n, t);
    expect(h.dv().getBigUint64(t, true)).toBe(DETERMINISTIC_EPOCH_NS + 5_000_000_000n);
    h.dv().setBigUint64(sub + 48, 88n, true);
    h.u8()[sub + 56] = 1;
    h.dv().setUint32(sub + 64, 0, true);
    expect(h.call("poll_oneoff", sub, ev, 2, n)).toBe(0);
    expect(h.dv().getUint32(n, true)).toBe(1);
    expect(h.dv().getBigUint64(ev, true)).toBe(88n);
    expect(h.call("poll_oneoff", sub, ev, 0, n)).toBe(Errno.inval);
    h.dv().setUint32(sub + 64, 99, true);
    expect(h.call("poll_oneoff", sub + 48, ev, 1, n)).toBe(0);
    expect(h.dv().getUint16(ev + 8, true)).toBe(Errno.badf);
  });

  it("proc_exit throws ProcExit; proc_raise, sockets are refused with errno", () => {
    const h = harness();
    expect(() => h.call("proc_exit", 3)).toThrow(ProcExit);
    expect(h.call("proc_raise", 9)).toBe(Errno.nosys);
    for (const s of ["sock_accept", "sock_recv", "sock_send", "sock_shutdown"]) expect(h.call(s, 3, 0, 0, 0, 0, 0)).toBe(Errno.notsup);
    expect(h.call("sched_yield")).toBe(0);
  });

  it("works over shared memory (threaded guests): paths decode and random fills", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const fs = createVirtualFs();
    const wasi = createWasiPreview1({ memory, fs, args: [], env: {}, clock: createGuestClock({ deterministic: true }), stdout: new CappedSink(8), stderr: new CappedSink(8) });
    const u8 = new Uint8Array(memory.buffer);
    u8.set(enc("made"), 100);
    const imports = wasi.imports as unknown as Record<string, (...a: Array<number | bigint>) => number>;
    expect(imports.path_create_directory?.(3, 100, 4)).toBe(0);
    expect(fs.resolve("/app/made").kind).toBe("directory");
    expect(imports.random_get?.(200, 32)).toBe(0);
    expect(u8.subarray(200, 232).some((b) => b !== 0)).toBe(true);
  });

  it("traces to the host's stderr when LLM_SANDBOX_TRACE=1", () => {
    const before = process.env.LLM_SANDBOX_TRACE;
    const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      process.env.LLM_SANDBOX_TRACE = "1";
      const wasi = createWasiPreview1({ memory: new WebAssembly.Memory({ initial: 1 }), fs: createVirtualFs(), args: [], env: {}, clock: createGuestClock({ deterministic: true }), stdout: new CappedSink(1), stderr: new CappedSink(1) });
      (wasi.imports.sched_yield as unknown as () => number)();
      expect(spy).toHaveBeenCalledWith("[wasi] sched_yield() = 0\n");
    } finally {
      spy.mockRestore();
      if (before === undefined) delete process.env.LLM_SANDBOX_TRACE;
      else process.env.LLM_SANDBOX_TRACE = before;
    }
  });

  it("poll_oneoff with a real clock sleeps (briefly) and reports the subscription", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const wasi = createWasiPreview1({ memory, fs: createVirtualFs(), args: [], env: {}, clock: createGuestClock({ deterministic: false }), stdout: new CappedSink(1), stderr: new CappedSink(1) });
    const dv = new DataView(memory.buffer);
    dv.setBigUint64(0, 5n, true);
    dv.setUint8(8, 0);
    dv.setUint32(16, 1, true);
    dv.setBigUint64(24, 1_000_000n, true);
    expect((wasi.imports.poll_oneoff as unknown as (...a: number[]) => number)(0, 100, 1, 200)).toBe(0);
    expect(dv.getUint32(200, true)).toBe(1);
    expect(dv.getBigUint64(100, true)).toBe(5n);
  });

  it("traces calls when asked", () => {
    const lines: string[] = [];
    const h = harness({ trace: (l) => lines.push(l) });
    h.call("sched_yield");
    h.call("fd_close", 99);
    expect(lines).toEqual(["[wasi] sched_yield() = 0", "[wasi] fd_close(99) = 8"]);
  });
});
