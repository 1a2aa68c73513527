/**
 * The on-disk form of a MemoryImage, so an initialized interpreter survives the process.
 *
 *     "LLMSNAP" 0x01        8 bytes   magic and format version
 *     sha256                32 bytes  of everything that follows
 *     header length         4 bytes   u32 little endian
 *     header                JSON: { key, byteLength, runs, globals, dataLength }
 *     data                  the packed pages, `dataLength` bytes
 *
 * The checksum covers the header and the data, and the header names the key the file was
 * written under, so a truncated, bit-flipped, swapped or foreign file is refused as a
 * whole — a restore is either the exact image that was saved for this key or none. The
 * header is also checked for shape (page-aligned runs, in order, inside `byteLength`,
 * adding up to `dataLength`) so even a file that was forged with a valid checksum cannot
 * make `restoreImage` write outside the image it describes.
 *
 * Reading fills a SharedArrayBuffer straight from the file (no second copy), so a worker
 * that loads an image holds it once and shares it with every other worker. It reads
 * synchronously: only pool threads read snapshot files, and there an awaited read waits
 * for the thread's event loop, which is busy with the image the snapshot belongs to
 * (see `persist-snapshot.ts`). The first reader whose checksum passed leaves a verified
 * stamp (`<file>.verified`, see `cache/verified-stamp.ts`): later readers skip the hash
 * while the file's stat is unchanged; the header's shape is checked on every read.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { sameStat, statOfFd, verifyWithStamp } from "../cache/verified-stamp.js";
import { PAGE_BYTES, type MemoryImage, type PageRun } from "./memory-image.js";

/** File magic with the format version in its last byte. */
export const SNAPSHOT_MAGIC = Uint8Array.from([0x4c, 0x4c, 0x4d, 0x53, 0x4e, 0x41, 0x50, 0x01]);
const HASH_BYTES = 32;
const PREFIX_BYTES = SNAPSHOT_MAGIC.length + HASH_BYTES + 4;
/** Headers are small (one run per differing stretch of pages); anything bigger is damage. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;
/** WebAssembly memory32 cannot exceed 4 GiB. */
const MAX_IMAGE_BYTES = 65_536 * PAGE_BYTES;

/** Why a file could not be used. */
export type SnapshotFileProblem = "absent" | "corrupt";

/** The file's bytes for `image` saved under `key`, as chunks to write in order. */
export function encodeSnapshotFile(key: string, image: MemoryImage): Uint8Array[] {
  const globals: Record<string, string> = {};
  for (const [name, value] of Object.entries(image.globals)) globals[name] = typeof value === "bigint" ? `i64:${value}` : `num:${value}`;
  const header = new TextEncoder().encode(
    JSON.stringify({ key, byteLength: image.byteLength, runs: image.runs.map((r) => [r.start, r.end]), globals, dataLength: image.data.byteLength }),
  );
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, header.length, true);
  // A view of the shared pages: written as they are, never copied into a plain buffer.
  const data = new Uint8Array(image.data);
  const hash = createHash("sha256").update(length).update(header).update(data).digest();
  return [SNAPSHOT_MAGIC, new Uint8Array(hash.buffer, hash.byteOffset, hash.length), length, header, data];
}

/**
 * Reads and verifies the file at `path` for `key`: the image, or why it cannot be used
 * ("absent" when there is no file; "corrupt" for anything else — the caller deletes it).
 * Synchronous (see the module doc): for pool threads, never the host's main thread.
 */
export function readSnapshotFile(path: string, key: string): MemoryImage | SnapshotFileProblem {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === "ENOENT") return "absent";
    throw error;
  }
  try {
    const before = statOfFd(fd);
    const { size } = before;
    if (size < PREFIX_BYTES) return "corrupt";
    const prefix = readExactly(fd, new Uint8Array(PREFIX_BYTES), 0);
    if (prefix === null || !startsWithMagic(prefix)) return "corrupt";
    const headerLength = new DataView(prefix.buffer, prefix.byteOffset + PREFIX_BYTES - 4, 4).getUint32(0, true);
    if (headerLength > MAX_HEADER_BYTES || PREFIX_BYTES + headerLength > size) return "corrupt";
    const headerBytes = readExactly(fd, new Uint8Array(headerLength), PREFIX_BYTES);
    const header = headerBytes === null ? null : parseHeader(headerBytes, key);
    if (header === null || PREFIX_BYTES + headerLength + header.dataLength !== size) return "corrupt";
    const data = new SharedArrayBuffer(header.dataLength);
    if (readExactly(fd, new Uint8Array(data), PREFIX_BYTES + headerLength) === null) return "corrupt";
    const recorded = Buffer.from(prefix.buffer, prefix.byteOffset + SNAPSHOT_MAGIC.length, HASH_BYTES);
    const id = recorded.toString("hex");
    // A stamp counts (and is written) only when the file did not change while it was read.
    const stable = sameStat(before, statOfFd(fd)) ? before : null;
    const matches = (): boolean =>
      createHash("sha256")
        .update(prefix.subarray(PREFIX_BYTES - 4))
        .update(headerBytes as Uint8Array)
        .update(new Uint8Array(data))
        .digest()
        .equals(recorded);
    if (!verifyWithStamp(path, stable, id, matches)) return "corrupt";
    return { byteLength: header.byteLength, runs: header.runs, data, globals: header.globals, id };
  } finally {
    closeSync(fd);
  }
}

interface SnapshotHeader {
  readonly byteLength: number;
  readonly runs: PageRun[];
  readonly globals: Record<string, number | bigint>;
  readonly dataLength: number;
}

function parseHeader(bytes: Uint8Array, key: string): SnapshotHeader | null {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const h = v as Record<string, unknown>;
  const { byteLength, dataLength } = h;
  if (h["key"] !== key || !isPageMultiple(byteLength) || byteLength > MAX_IMAGE_BYTES || !isCount(dataLength)) return null;
  const runs = parseRuns(h["runs"], byteLength);
  const globals = parseGlobals(h["globals"]);
  if (runs === null || globals === null) return null;
  const total = runs.reduce((n, r) => n + (r.end - r.start), 0);
  return total === dataLength ? { byteLength, runs, globals, dataLength } : null;
}

/** Page-aligned, non-empty, ascending, non-overlapping runs inside the image. */
function parseRuns(value: unknown, byteLength: number): PageRun[] | null {
  if (!Array.isArray(value)) return null;
  const runs: PageRun[] = [];
  let previousEnd = 0;
  for (const item of value as unknown[]) {
    if (!Array.isArray(item) || item.length !== 2) return null;
    const [start, end] = item as unknown[];
    if (!isPageMultiple(start) || !isPageMultiple(end) || start < previousEnd || end <= start || end > byteLength) return null;
    runs.push({ start, end });
    previousEnd = end;
  }
  return runs;
}

function parseGlobals(value: unknown): Record<string, number | bigint> | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const out: Record<string, number | bigint> = {};
  for (const [name, encoded] of Object.entries(value)) {
    if (typeof encoded !== "string") return null;
    if (encoded.startsWith("i64:") && /^-?\d{1,20}$/.test(encoded.slice(4))) out[name] = BigInt(encoded.slice(4));
    else if (encoded.startsWith("num:") && Number.isFinite(Number(encoded.slice(4))) && encoded.length > 4) out[name] = Number(encoded.slice(4));
    else return null;
  }
  return out;
}

function readExactly(fd: number, into: Uint8Array, position: number): Uint8Array | null {
  let done = 0;
  while (done < into.length) {
    const bytesRead = readSync(fd, into, done, into.length - done, position + done);
    if (bytesRead === 0) return null;
    done += bytesRead;
  }
  return into;
}

function startsWithMagic(bytes: Uint8Array): boolean {
  return SNAPSHOT_MAGIC.every((b, i) => bytes[i] === b);
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function isPageMultiple(v: unknown): v is number {
  return isCount(v) && v % PAGE_BYTES === 0;
}
