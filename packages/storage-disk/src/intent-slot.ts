import * as fs from "node:fs";
import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import { join } from "node:path";
import { StorageError } from "@llm-wasm-sandbox/core";
import { decodeIntent, type InlineIntent } from "./intent.js";
import { asyncIo, isCode } from "./fs-io.js";

/*
 * A session's intent slot (`<session>/.intent`): the file where a small commit records its
 * v2 intent (intent.ts), overwritten in place by each small commit of the session.
 *
 * Why a slot: a new file (an intent created in `.commit/`) is durable only once the file
 * system's journal has committed its inode and the directory entries leading to it —
 * an fsync of the file and of two directories, ~1–2 ms on our test machine and much
 * more when other processes write. Bytes written over blocks a file already has need
 * only their own write and a cache flush (an O_DSYNC write, ~0.2–0.4 ms): nothing about
 * the file changes but its times. So the slot is created once (fsynced with the session
 * directory), and every later small commit's intent is one durable overwrite.
 *
 * Layout: state (1 byte: pending or retired) | 3 zero bytes | length (u32 LE) | the v2
 * record (its own magic, header, bytes and SHA-256) | padding up to a multiple of
 * SLOT_BLOCK (so that a slightly larger intent next time does not grow the file).
 *
 * A record is PENDING from its write until its commit is applied and that is durable;
 * then its state byte is set to RETIRED (durably, before `.commit/` goes). A
 * pending record is the commit only if it verifies and commits the version after the
 * one in session.json, or that same version (applied, but maybe not all of it durable:
 * replaying it writes the same bytes again). A torn one — a power cut in the middle of
 * its write — does not verify: the commit never reached its commit point.
 *
 * `.commit/` still marks a commit in progress for readers (session-reader.ts) and holds
 * the staged files, but it is not made durable before the commit point: a power cut may
 * lose it while the slot keeps a pending record. The adapter therefore looks at the slot
 * of a session the first time it touches it (`slotPendingSync`, one small read) as well
 * as whenever it finds `.commit/`.
 */

/** Name of the slot in the session directory. */
export const SLOT = ".intent";

const PENDING = 0x50; // "P"
const RETIRED = 0x52; // "R"
const HEAD_BYTES = 8;
/** Slot files are padded to a multiple of this. */
export const SLOT_BLOCK = 16 * 1024;

const SLOT_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW;
/**
 * Writes that return once their bytes are durable (a write and its fdatasync in one
 * call: one thread-pool round trip instead of two); where the platform has no O_DSYNC,
 * each write is followed by an fdatasync.
 */
const DSYNC: number | undefined = constants.O_DSYNC;

/** The bytes to write at offset 0 of the slot for `record` (an encoded v2 intent). */
export function encodeSlot(record: Uint8Array): Uint8Array {
  const size = Math.ceil((HEAD_BYTES + record.byteLength) / SLOT_BLOCK) * SLOT_BLOCK;
  const out = new Uint8Array(size);
  out[0] = PENDING;
  new DataView(out.buffer).setUint32(4, record.byteLength, true);
  out.set(record, HEAD_BYTES);
  return out;
}

/** The slot, open for writing: created if missing. */
export interface SlotHandle {
  /**
   * Writes `bytes` at offset 0, durably when the slot was opened with `sync`; returns
   * true when that made the file larger (or it was new): the caller then fsyncs it and
   * the session directory, so that its size and entry are durable too.
   */
  write(bytes: Uint8Array): Promise<boolean>;
  /** fsync (after the slot grew). */
  sync(): Promise<void>;
  /** Marks the record retired (durably when opened with `sync`). */
  retire(): Promise<void>;
  close(): Promise<void>;
}

/** Opens (or creates) the slot of the session directory `dir`. @throws StorageError when something other than a regular file is there. */
export async function openSlot(dir: string, sync: boolean): Promise<SlotHandle> {
  const handle = await fsp.open(join(dir, SLOT), SLOT_FLAGS | (sync ? (DSYNC ?? 0) : 0), 0o600);
  // Synchronous: the descriptor's metadata, no journal wait (see fs-io.ts).
  const st = fs.fstatSync(handle.fd);
  if (!st.isFile()) {
    await handle.close();
    throw new StorageError("disk", `${join(dir, SLOT)} is not a regular file — remove it`);
  }
  let size = st.size;
  const write = async (bytes: Uint8Array): Promise<void> => {
    await handle.write(bytes, 0, bytes.byteLength, 0);
    if (sync && DSYNC === undefined) await handle.datasync();
  };
  return {
    async write(bytes) {
      await write(bytes);
      const grown = bytes.byteLength > size;
      size = Math.max(size, bytes.byteLength);
      return grown;
    },
    sync: () => handle.sync(),
    retire: () => write(Uint8Array.of(RETIRED)),
    close: () => handle.close(),
  };
}

/**
 * True when the slot of `dir` holds a pending record (verified or not: the caller reads
 * it under the commit lock). One small synchronous read of the slot's first byte.
 */
export function slotPendingSync(dir: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(join(dir, SLOT), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | (constants.O_NOATIME ?? 0));
  } catch (e) {
    if (isCode(e, "EPERM")) fd = fs.openSync(join(dir, SLOT), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    else if (isCode(e, "ENOENT") || isCode(e, "ELOOP") || isCode(e, "ENXIO") || isCode(e, "ENOTDIR")) return false;
    else throw e;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return false;
    const head = new Uint8Array(1);
    return fs.readSync(fd, head, 0, 1, 0) === 1 && head[0] === PENDING;
  } finally {
    fs.closeSync(fd);
  }
}

/** What session.json holds when recovery reads it: its version and its metadata as JSON text. */
export interface CommittedMeta {
  readonly version: number;
  /** `JSON.stringify` of the parsed metadata. */
  readonly json: string;
}

/**
 * The slot's pending intent when it is the commit to roll forward: it verifies and
 * commits `committed.version + 1`, or `committed.version` with exactly the metadata
 * session.json holds (that commit was applied, maybe not all of it durably — a commit
 * of the same version that someone else made never matches: its metadata differs).
 * With `committed` null (session.json unreadable: a power cut may keep the rename of an
 * unsynced staged session.json and lose its bytes), a pending record that verifies is
 * the commit: only an unfinished commit leaves one durably pending (a finished or
 * failed one is retired durably before its caller is told). Null otherwise (no slot,
 * retired, torn, older than the session, or another commit's).
 */
export async function readPendingSlot(dir: string, committed: CommittedMeta | null): Promise<InlineIntent | null> {
  let bytes: Uint8Array;
  try {
    const handle = await fsp.open(join(dir, SLOT), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!(await handle.stat()).isFile()) return null;
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (isCode(e, "ENOENT") || isCode(e, "ELOOP") || isCode(e, "ENXIO")) return null;
    throw e;
  }
  if (bytes.byteLength < HEAD_BYTES || bytes[0] !== PENDING) return null;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (HEAD_BYTES + length > bytes.byteLength) return null;
  const record = bytes.subarray(HEAD_BYTES, HEAD_BYTES + length);
  // Only ever a v2 record (never JSON, which decodeIntent would parse and trust).
  if (record[0] === 0x7b) return null;
  const found = decodeIntent(record);
  if (found.kind !== "v2") return null;
  if (committed === null) return found.intent;
  const target = found.intent.metadata.version;
  if (target === committed.version + 1) return found.intent;
  return target === committed.version && JSON.stringify(found.intent.metadata) === committed.json ? found.intent : null;
}

/**
 * Marks the slot of `dir` retired (after a failed commit, or after its record was rolled
 * forward or found not to be the commit), durably when `sync`: the slot itself and the
 * session directory are fsynced too, since a failed first commit may have created the
 * slot without ever making its entry durable, and a later commit judges by its size
 * whether it must. Returns once a power cut can no longer bring the record back.
 */
export async function retireSlot(dir: string, sync: boolean): Promise<void> {
  const slot = await openSlot(dir, sync);
  try {
    await slot.retire();
    if (sync) await Promise.all([slot.sync(), asyncIo.fsyncDir(dir, true)]);
  } finally {
    await slot.close();
  }
}
