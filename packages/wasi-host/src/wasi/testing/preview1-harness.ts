/**
 * A guest-less harness for the preview1 imports: a 1-page memory, a bump allocator, and
 * the imports to call by name (shared by the preview1 tests).
 */
import { createVirtualFs, type VirtualFs } from "../../vfs/index.js";
import { LookupFlags, Rights } from "../abi.js";
import { createGuestClock } from "../clock.js";
import { CappedSink } from "../output-sink.js";
import { createWasiPreview1 } from "../preview1.js";

/** UTF-8 encode. */
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** UTF-8 decode. */
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Builds the harness (default fs: a /data mount holding ro.txt). */
export function harness(opts: { fs?: VirtualFs; stdoutMax?: number; trace?: (l: string) => void; seed?: number } = {}) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const fs = opts.fs ?? createVirtualFs({ mounts: [{ guestPath: "/data", files: { "ro.txt": enc("read-only") } }] });
  const stdout = new CappedSink(opts.stdoutMax ?? 1024);
  const stderr = new CappedSink(1024);
  const wasi = createWasiPreview1({
    memory,
    fs,
    args: ["prog", "arg one", "ü"],
    env: { A: "1", EMPTY: "" },
    clock: createGuestClock({ deterministic: true, randomSeed: opts.seed ?? 42 }),
    stdin: enc("input"),
    stdout,
    stderr,
    trace: opts.trace ?? false,
  });
  let top = 1024;
  const alloc = (n: number): number => {
    const p = top;
    top += (n + 7) & ~7;
    return p;
  };
  const u8 = () => new Uint8Array(memory.buffer);
  const dv = () => new DataView(memory.buffer);
  const str = (s: string): [number, number] => {
    const b = enc(s);
    const p = alloc(b.length);
    u8().set(b, p);
    return [p, b.length];
  };
  const iov = (data: Uint8Array | number): number => {
    const len = typeof data === "number" ? data : data.length;
    const buf = alloc(len);
    if (typeof data !== "number") u8().set(data, buf);
    const p = alloc(8);
    dv().setUint32(p, buf, true);
    dv().setUint32(p + 4, len, true);
    return p;
  };
  const call = (name: string, ...args: Array<number | bigint>): number => {
    const fn = wasi.imports[name] as unknown as (...a: Array<number | bigint>) => number;
    return fn(...args);
  };
  const open = (path: string, oflags = 0, rights = Rights.fdRead | Rights.fdWrite, fdflags = 0, dirfd = 3): { errno: number; fd: number } => {
    const [p, l] = str(path);
    const out = alloc(4);
    const errno = call("path_open", dirfd, LookupFlags.symlinkFollow, p, l, oflags, rights, 0n, fdflags, out);
    return { errno, fd: dv().getUint32(out, true) };
  };
  return { memory, fs, stdout, stderr, wasi, alloc, u8, dv, str, iov, call, open };
}

