/**
 * Every read and write of guest memory goes through here. Views are refreshed when
 * the memory grows (its ArrayBuffer is replaced), and every access is bounds-checked:
 * a bad pointer fails the call with EFAULT instead of throwing a RangeError into the
 * guest.
 */
import { fail } from "../vfs/errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** Most iovecs one call may pass (POSIX IOV_MAX); more is EINVAL, not a huge host array. */
export const IOV_MAX = 1024;

/** Little-endian accessors over a guest's linear memory. */
export class GuestMemory {
  private readonly source: () => WebAssembly.Memory;
  private buffer: ArrayBuffer | null = null;
  private u8: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));

  /** @param memory the memory, or a getter for one set after instantiation */
  constructor(memory: WebAssembly.Memory | (() => WebAssembly.Memory)) {
    this.source = typeof memory === "function" ? memory : () => memory;
  }

  /** The whole memory as bytes (a fresh view if it grew). */
  bytes(): Uint8Array {
    this.refresh();
    return this.u8;
  }

  /** A view of `len` bytes at `ptr` (aliases guest memory; copy to keep). @throws fault */
  slice(ptr: number, len: number): Uint8Array {
    this.check(ptr, len);
    return this.u8.subarray(ptr, ptr + len);
  }

  /**
   * Decodes a UTF-8 string. `maxBytes` refuses over-long input before decoding it, so a
   * guest cannot make the host build a giant string. @throws fault, ilseq, nametoolong
   */
  readString(ptr: number, len: number, maxBytes = Infinity): string {
    if (len > maxBytes) fail("nametoolong");
    const view = this.slice(ptr, len);
    // TextDecoder refuses views of shared memory (threaded guests): decode a copy then.
    const bytes = view.buffer instanceof ArrayBuffer ? view : view.slice();
    try {
      return utf8.decode(bytes);
    } catch {
      return fail("ilseq", "path is not valid UTF-8");
    }
  }

  /** Copies bytes into guest memory. @throws fault */
  write(ptr: number, bytes: Uint8Array): void {
    this.check(ptr, bytes.length);
    this.u8.set(bytes, ptr);
  }

  /** Writes a string as UTF-8; returns the byte count. */
  writeString(ptr: number, text: string): number {
    const bytes = encoder.encode(text);
    this.write(ptr, bytes);
    return bytes.length;
  }

  /** Reads a u8. @throws fault */
  u8At(ptr: number): number {
    this.check(ptr, 1);
    return this.dv.getUint8(ptr);
  }

  /** Reads a little-endian u16. @throws fault */
  u16At(ptr: number): number {
    this.check(ptr, 2);
    return this.dv.getUint16(ptr, true);
  }

  /** Reads a little-endian u32. @throws fault */
  u32At(ptr: number): number {
    this.check(ptr, 4);
    return this.dv.getUint32(ptr, true);
  }

  /** Reads a little-endian u64. @throws fault */
  u64At(ptr: number): bigint {
    this.check(ptr, 8);
    return this.dv.getBigUint64(ptr, true);
  }

  /** Writes a u8. @throws fault */
  setU8(ptr: number, value: number): void {
    this.check(ptr, 1);
    this.dv.setUint8(ptr, value);
  }

  /** Writes a little-endian u16. @throws fault */
  setU16(ptr: number, value: number): void {
    this.check(ptr, 2);
    this.dv.setUint16(ptr, value, true);
  }

  /** Writes a little-endian u32. @throws fault */
  setU32(ptr: number, value: number): void {
    this.check(ptr, 4);
    this.dv.setUint32(ptr, value >>> 0, true);
  }

  /** Writes a little-endian u64 (wrapped to 64 bits). @throws fault */
  setU64(ptr: number, value: bigint): void {
    this.check(ptr, 8);
    this.dv.setBigUint64(ptr, BigInt.asUintN(64, value), true);
  }

  /** Reads `count` iovecs at `ptr` as [pointer, length] pairs. @throws fault */
  iovecs(ptr: number, count: number): Array<[number, number]> {
    if (count > IOV_MAX) fail("inval", `more than ${IOV_MAX} iovecs`);
    this.check(ptr, count * 8);
    const out: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) out.push([this.dv.getUint32(ptr + i * 8, true), this.dv.getUint32(ptr + i * 8 + 4, true)]);
    return out;
  }

  private refresh(): void {
    const buf = this.source().buffer;
    if (buf !== this.buffer) {
      this.buffer = buf;
      this.u8 = new Uint8Array(buf);
      this.dv = new DataView(buf);
    }
  }

  private check(ptr: number, len: number): void {
    this.refresh();
    if (!Number.isInteger(ptr) || !Number.isInteger(len) || ptr < 0 || len < 0 || ptr + len > this.u8.length) {
      fail("fault", `guest pointer ${ptr}+${len} is out of bounds`);
    }
  }
}
