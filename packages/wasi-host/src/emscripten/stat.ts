/**
 * Emscripten's `struct stat` and `struct dirent` layouts on wasm32, written from
 * VirtualFs facts. Everything the guest sees about a file comes from here.
 */
import type { FileStat } from "../vfs/virtual-fs.js";
import type { Inode } from "../vfs/inode.js";
import type { GuestMemory } from "./guest-memory.js";

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** Size of `struct dirent` as emscripten lays it out (d_name is 256 bytes). */
export const DIRENT_SIZE = 280;

/** d_type values. */
export const DT_DIR = 4;
export const DT_REG = 8;
export const DT_LNK = 10;

/** The st_mode of an inode: type bits plus permissions (read-only mounts lose the write bits). */
export function modeOf(kind: Inode["kind"], readonly: boolean): number {
  if (kind === "directory") return S_IFDIR | (readonly ? 0o555 : 0o755);
  if (kind === "symlink") return S_IFLNK | 0o777;
  return S_IFREG | (readonly ? 0o444 : 0o644);
}

/** d_type of an inode kind. */
export function direntType(kind: Inode["kind"]): number {
  return kind === "directory" ? DT_DIR : kind === "symlink" ? DT_LNK : DT_REG;
}

/** Writes a 96-byte `struct stat` at `buf`. */
export function writeStat(mem: GuestMemory, buf: number, st: FileStat, readonly: boolean): void {
  const v = mem.view;
  v.setUint32(buf + 0, 1, true); // st_dev: one virtual device
  v.setUint32(buf + 4, modeOf(st.kind, readonly), true);
  v.setUint32(buf + 8, st.nlink, true);
  v.setUint32(buf + 12, 0, true); // uid
  v.setUint32(buf + 16, 0, true); // gid
  v.setUint32(buf + 20, 0, true); // rdev
  v.setBigInt64(buf + 24, BigInt(st.size), true);
  v.setInt32(buf + 32, 4096, true); // blksize
  v.setInt32(buf + 36, Math.ceil(st.size / 512), true); // blocks
  writeTimespec(v, buf + 40, st.atimeNs);
  writeTimespec(v, buf + 56, st.mtimeNs);
  writeTimespec(v, buf + 72, st.ctimeNs);
  v.setBigUint64(buf + 88, st.ino, true);
}

function writeTimespec(v: DataView, p: number, ns: bigint): void {
  v.setBigInt64(p, ns / 1_000_000_000n, true);
  v.setInt32(p + 8, Number(ns % 1_000_000_000n), true);
  v.setInt32(p + 12, 0, true);
}

/** Writes one `struct dirent` at `p`; the name must be < 256 UTF-8 bytes. */
export function writeDirent(mem: GuestMemory, p: number, ino: bigint, nextOffset: number, type: number, name: Uint8Array): void {
  const v = mem.view;
  v.setBigUint64(p, ino, true);
  v.setBigInt64(p + 8, BigInt(nextOffset), true);
  v.setUint16(p + 16, DIRENT_SIZE, true);
  v.setUint8(p + 18, type);
  const u8 = mem.u8;
  u8.set(name.subarray(0, 255), p + 19);
  u8[p + 19 + Math.min(name.length, 255)] = 0;
}
