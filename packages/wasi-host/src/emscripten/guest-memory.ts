/**
 * Reads and writes of an emscripten guest's linear memory, kept in one place. The views
 * are re-created whenever the memory grew (growing detaches the old ArrayBuffer).
 */
import { VfsError } from "../vfs/errors.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });
const strict = new TextDecoder("utf-8", { fatal: true });

/** Longest path a syscall accepts, in bytes (Linux PATH_MAX without the NUL). */
export const PATH_MAX_BYTES = 4095;

/** Typed access to a guest's memory that survives `memory.grow`. */
export class GuestMemory {
  readonly memory: WebAssembly.Memory;
  private buffer: ArrayBuffer | null = null;
  private u8view = new Uint8Array(0);
  private dview = new DataView(new ArrayBuffer(0));

  constructor(memory: WebAssembly.Memory) {
    this.memory = memory;
  }

  /** The whole memory as bytes (a fresh view after growth). */
  get u8(): Uint8Array {
    this.refresh();
    return this.u8view;
  }

  /** The whole memory as a DataView (little-endian accessors). */
  get view(): DataView {
    this.refresh();
    return this.dview;
  }

  /** Current size in bytes. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  u32(ptr: number): number {
    return this.view.getUint32(ptr, true);
  }

  i32(ptr: number): number {
    return this.view.getInt32(ptr, true);
  }

  setU32(ptr: number, value: number): void {
    this.view.setUint32(ptr, value >>> 0, true);
  }

  setI32(ptr: number, value: number): void {
    this.view.setInt32(ptr, value | 0, true);
  }

  setU64(ptr: number, value: bigint): void {
    this.view.setBigUint64(ptr, BigInt.asUintN(64, value), true);
  }

  /** A NUL-terminated string at `ptr` as raw bytes (a copy). */
  cstringBytes(ptr: number, maxLength = 1 << 20): Uint8Array {
    const u8 = this.u8;
    const limit = Math.min(u8.length, ptr + maxLength);
    let end = ptr;
    while (end < limit && u8[end] !== 0) end++;
    return u8.slice(ptr, end);
  }

  /** A NUL-terminated UTF-8 string at `ptr`. */
  cstring(ptr: number, maxLength?: number): string {
    return decoder.decode(this.cstringBytes(ptr, maxLength));
  }

  /**
   * A NUL-terminated path argument, decoded strictly: a path that is not valid UTF-8
   * (lone surrogates included) fails with EILSEQ, one longer than PATH_MAX_BYTES with
   * ENAMETOOLONG — never replaced or cut into another name.
   * @throws VfsError
   */
  path(ptr: number): string {
    const bytes = this.cstringBytes(ptr, PATH_MAX_BYTES + 1);
    if (bytes.length > PATH_MAX_BYTES) throw new VfsError("nametoolong", `a path is longer than ${PATH_MAX_BYTES} bytes`);
    try {
      return strict.decode(bytes);
    } catch {
      throw new VfsError("ilseq", "a path is not valid UTF-8");
    }
  }

  /** Copies `length` bytes starting at `ptr` out of guest memory. */
  copyOut(ptr: number, length: number): Uint8Array {
    return this.u8.slice(ptr, ptr + length);
  }

  /** A view of guest bytes (invalid after the next growth; use at once). */
  subarray(ptr: number, length: number): Uint8Array {
    return this.u8.subarray(ptr, ptr + length);
  }

  /**
   * Writes `text` NUL-terminated at `ptr` if it fits in `capacity` bytes (NUL included).
   * @returns bytes written without the NUL, or -1 when it does not fit.
   */
  writeCString(ptr: number, text: string | Uint8Array, capacity: number): number {
    const bytes = typeof text === "string" ? encoder.encode(text) : text;
    if (bytes.length + 1 > capacity) return -1;
    const u8 = this.u8;
    u8.set(bytes, ptr);
    u8[ptr + bytes.length] = 0;
    return bytes.length;
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    if (buf !== this.buffer) {
      this.buffer = buf;
      this.u8view = new Uint8Array(buf);
      this.dview = new DataView(buf);
    }
  }
}

/** UTF-8 encodes a string (shared encoder). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
