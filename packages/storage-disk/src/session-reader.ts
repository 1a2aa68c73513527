import * as fs from "node:fs";
import { constants } from "node:fs";
import {
  canonicalSessionId,
  canonicalWorkspacePath,
  FileNotFoundError,
  type SessionMetadata,
  SessionMetadataSchema,
  SessionNotFoundError,
  type SessionSnapshot,
  StorageConflictError,
  StorageError,
  type WorkspaceEntry,
} from "@llm-wasm-sandbox/core";
import { recoverCommit, type SessionPaths, sessionPaths } from "./commit-log.js";
import type { SessionLocks } from "./session-locks.js";
import { asyncIo, quickIo } from "./fs-io.js";
import { isCode, type ReadCheck, readRegularFile, readSmallRegularFileSync, resolveInside, walkTree } from "./safe-fs.js";

const dec = new TextDecoder();
/** Sessions whose last parsed session.json a reader keeps (see `parseMeta`). */
const MAX_PARSED_SESSIONS = 256;

/** Reads sessions consistently: never half of a concurrent commit, always after crash recovery. */
export interface SessionReader {
  /** The session's paths, after checking it exists and is not damaged. @throws SessionNotFoundError, StorageError */
  paths(sessionId: string): Promise<SessionPaths>;
  /** Like `paths`, after finishing or undoing a commit a crash interrupted. */
  settled(sessionId: string): Promise<SessionPaths>;
  /** Parsed session.json. @throws SessionNotFoundError, StorageError (damaged) */
  readMeta(p: SessionPaths, sessionId: string): Promise<SessionMetadata>;
  /** `settled` then `readMeta`: the session's current metadata. @throws SessionNotFoundError, StorageError (damaged) */
  metadata(sessionId: string): Promise<SessionMetadata>;
  /** Metadata and listing of one version. */
  snapshot(sessionId: string): Promise<SessionSnapshot>;
  /** A file of the current version; `rel` must be canonical. */
  readFile(p: SessionPaths, sessionId: string, rel: string): Promise<Uint8Array>;
}

/**
 * The read side of the disk adapter. `finishing(id)`: the last step of a commit of
 * this adapter still running on the session, if any (a snapshot waits for it
 * instead of finding `.commit/` and waiting for the commit lock).
 */
export function sessionReader(root: string, locks: SessionLocks, sync: boolean, finishing: (sessionId: string) => Promise<void> | undefined = () => undefined): SessionReader {
  // Three lstats of the session's own entries: a fixed number of calls, made synchronously (fs-io.ts).
  const paths = async (sessionId: string): Promise<SessionPaths> => {
    const id = canonicalSessionId(sessionId);
    const p = sessionPaths(root, id);
    const st = await quickIo.lstat(p.dir);
    if (!st?.isDirectory() || !(await quickIo.lstat(p.meta))?.isFile()) throw new SessionNotFoundError(id);
    const files = await quickIo.lstat(p.files);
    if (!files?.isDirectory()) throw new StorageError("disk", `session "${id}" is damaged: ${p.files} is not a real directory — delete the session`);
    return p;
  };

  const settled = async (sessionId: string): Promise<SessionPaths> => {
    const p = await paths(sessionId);
    if (await quickIo.lstat(p.commitDir)) await locks.withCommitLock(canonicalSessionId(sessionId), () => recoverCommit(p, sessionId, sync));
    return p;
  };

  // The last metadata parsed per session.json, by its exact text: every run's start reads the
  // file (getSession, snapshot), and validating it (zod's datetime checks) cost more than the
  // reads. Same text, same parse: a changed file (every commit writes a new version and
  // updatedAt) is parsed again. At most MAX_PARSED_SESSIONS, the least recently used dropped.
  const parsed = new Map<string, { readonly text: string; readonly metadata: SessionMetadata }>();
  const parseMeta = (bytes: Uint8Array, p: SessionPaths, sessionId: string): SessionMetadata => {
    const text = dec.decode(bytes);
    const last = parsed.get(p.meta);
    if (last !== undefined && last.text === text) {
      parsed.delete(p.meta);
      parsed.set(p.meta, last);
      return { ...last.metadata };
    }
    let metadata: SessionMetadata;
    try {
      metadata = SessionMetadataSchema.parse(JSON.parse(text));
    } catch (e) {
      throw new StorageError("disk", `session "${sessionId}" has damaged metadata (${p.meta}) — delete the session or restore the file`, { cause: e });
    }
    parsed.delete(p.meta);
    parsed.set(p.meta, { text, metadata: { ...metadata } });
    // Insertion order: the first key is the least recently used.
    if (parsed.size > MAX_PARSED_SESSIONS) parsed.delete(parsed.keys().next().value!);
    return metadata;
  };

  const readMeta = async (p: SessionPaths, sessionId: string): Promise<SessionMetadata> => {
    const fd = openMeta(p.meta);
    if (fd === null) throw new SessionNotFoundError(sessionId);
    try {
      if (!fs.fstatSync(fd).isFile()) throw new SessionNotFoundError(sessionId);
      return parseMeta(readAll(fd), p, sessionId);
    } finally {
      fs.closeSync(fd);
    }
  };

  /**
   * The checks of `paths` and `settled` and the read of `readMeta` in one synchronous go (a
   * fixed number of calls on the session's own entries): every run's start reads the metadata
   * (getSession), and each async layer costs more than the calls. session.json is opened
   * first, without following a symlink, and checked to be a regular file (what `paths`' lstat
   * of it checked); a commit in progress or cut short takes the way of `settled`.
   */
  const metadata = async (sessionId: string): Promise<SessionMetadata> => {
    const id = canonicalSessionId(sessionId);
    const p = sessionPaths(root, id);
    const fd = openMeta(p.meta);
    try {
      const dir = fs.lstatSync(p.dir, { throwIfNoEntry: false });
      const st = fd === null ? undefined : fs.fstatSync(fd);
      if (!dir?.isDirectory() || st === undefined || !st.isFile()) throw new SessionNotFoundError(id);
      const files = fs.lstatSync(p.files, { throwIfNoEntry: false });
      if (!files?.isDirectory()) throw new StorageError("disk", `session "${id}" is damaged: ${p.files} is not a real directory — delete the session`);
      // Opened before `.commit/` was seen absent: the version it holds was complete (see `snapshot`).
      if (fs.lstatSync(p.commitDir, { throwIfNoEntry: false }) === undefined) return parseMeta(readAll(fd!, st.size), p, id);
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
    return readMeta(await settled(id), id);
  };

  // A guest reading a workspace file waits for this: a small file at a shallow path is read
  // synchronously (safe-fs.ts readSmallRegularFileSync), anything larger through the pool.
  // `mayBlock` false sends it through the pool whatever its size (see `snapshot`).
  const readFile = async (p: SessionPaths, sessionId: string, rel: string, mayBlock = true, check?: ReadCheck): Promise<Uint8Array> => {
    const shallow = mayBlock && depth(rel) <= QUICK_READ_DEPTH;
    const abs = await resolveInside(p.files, rel, shallow ? quickIo : asyncIo);
    const quick = abs && shallow ? readSmallRegularFileSync(abs, check) : "large";
    const data = quick !== "large" ? quick : abs ? await readRegularFile(abs, check) : null;
    if (!data) throw new FileNotFoundError(sessionId, rel);
    return data;
  };

  /**
   * Every commit creates `.commit/` before touching files/, replaces session.json
   * (a new inode) while `.commit/` exists (alongside its changes to files/), and
   * removes `.commit/` after its last change. So a walk that starts after
   * session.json was opened and after `.commit/` was seen absent, and ends with no
   * `.commit/` and that inode still at session.json, overlapped no commit (one that
   * began and ended within it replaced session.json in between); otherwise it is
   * retried, and finally done under the commit lock.
   *
   * It is taken at the start of every run. The checks and session.json (a fixed
   * number of calls on the session's own entries) are made synchronously, the walk of
   * the workspace (as large as the guest made it) through the thread pool: an empty
   * workspace costs one round trip (see fs-io.ts).
   */
  const snapshot = async (sessionId: string): Promise<SessionSnapshot> => {
    const id = canonicalSessionId(sessionId);
    const p = sessionPaths(root, id);
    const make = (metadata: SessionMetadata, entries: WorkspaceEntry[]): SessionSnapshot => {
      // The guest decides how many files a run reads: only the first few block this thread.
      let quickReads = QUICK_READS_PER_SNAPSHOT;
      const listed = listedVersions(id, entries);
      return {
        metadata,
        entries,
        read: async (path) => {
          const rel = canonicalWorkspacePath(path);
          return readFile(p, id, rel, quickReads-- > 0, listed(rel));
        },
      };
    };
    await finishing(id);
    for (let attempt = 0; attempt < 3; attempt++) {
      const seen = await quietListing(p, id);
      if (seen !== null) return make(parseMeta(seen.meta, p, id), seen.entries);
    }
    return locks.withCommitLock(id, async () => {
      await paths(id);
      await recoverCommit(p, id, sync);
      const metadata = await readMeta(p, id);
      return make(metadata, await walkTree(p.files));
    });
  };

  /** One try at metadata + listing with no commit in between; null when one may have been (or is) in progress. */
  const quietListing = async (p: SessionPaths, id: string): Promise<{ meta: Uint8Array; entries: WorkspaceEntry[] } | null> => {
    const fd = openMeta(p.meta);
    try {
      const dir = fs.lstatSync(p.dir, { throwIfNoEntry: false });
      if (!dir?.isDirectory() || fd === null) throw new SessionNotFoundError(id);
      const files = fs.lstatSync(p.files, { throwIfNoEntry: false });
      if (!files?.isDirectory()) throw new StorageError("disk", `session "${id}" is damaged: ${p.files} is not a real directory — delete the session`);
      // A commit in progress or cut short: wait for it / finish or undo it, then look again.
      if (fs.lstatSync(p.commitDir, { throwIfNoEntry: false }) !== undefined) {
        await settled(id);
        return null;
      }
      // The walk may start once session.json is open: its inode is the one the end check compares.
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw new SessionNotFoundError(id);
      const meta = readAll(fd, st.size);
      const entries = await walkTree(p.files);
      const after = fs.lstatSync(p.meta, { throwIfNoEntry: false });
      const stillPending = fs.lstatSync(p.commitDir, { throwIfNoEntry: false });
      if (stillPending !== undefined || after === undefined || after.ino !== st.ino || after.mtimeMs !== st.mtimeMs) return null;
      return { meta, entries };
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
  };

  return { paths, settled, readMeta, metadata, snapshot, readFile };
}

/**
 * For a snapshot's reads: a check that the file read is the version its listing saw (same
 * size and mtime). Files are read by path, lazily, while the run goes on; a writer that
 * commits without the session lock (allowed: its commit still cannot overwrite a newer one)
 * may have replaced one since the listing, and the guest, which sized its read by the
 * listing, would get the new bytes cut to the old size — content no version ever had. Such
 * a read fails (StorageConflictError: the guest sees EIO) instead.
 */
function listedVersions(sessionId: string, entries: readonly WorkspaceEntry[]): (rel: string) => ReadCheck | undefined {
  let byPath: Map<string, WorkspaceEntry> | null = null;
  return (rel) => {
    byPath ??= new Map(entries.map((e) => [e.path, e]));
    const entry = byPath.get(rel);
    if (entry === undefined) return undefined;
    return (st) => {
      if (st.size !== entry.size || st.mtimeMs !== entry.mtimeMs) {
        throw new StorageConflictError(sessionId, `${rel} was replaced after this run's listing of the workspace`);
      }
    };
  };
}

/**
 * Most reads of one snapshot (one run's view of the workspace, or several runs' when a
 * run that changed nothing leaves its listing to the next) made synchronously: a guest
 * that reads thousands of files must not block the calling thread for as many disk reads
 * (each may wait for the disk, or for a network file system); past this, its reads go
 * through the thread pool.
 */
export const QUICK_READS_PER_SNAPSHOT = 16;

/** Deepest workspace path whose parents are checked, and whose small file is read, synchronously. */
const QUICK_READ_DEPTH = 8;

/** Number of components of a workspace path. */
function depth(path: string): number {
  let n = 1;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 0x2f) n++;
  return n;
}

const READ_META = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * session.json opened without following a symlink or blocking on a fifo; null when
 * there is no file to open. Without updating its access time where the file is ours
 * (O_NOATIME; EPERM otherwise, then opened without): under `relatime` the first read
 * of a freshly committed session.json would write its inode, and so wait for the
 * file system's journal, on the main thread.
 */
function openMeta(path: string): number | null {
  try {
    try {
      return fs.openSync(path, READ_META | (constants.O_NOATIME ?? 0));
    } catch (e) {
      if (!isCode(e, "EPERM")) throw e;
      return fs.openSync(path, READ_META);
    }
  } catch (e) {
    if (isCode(e, "ENOENT") || isCode(e, "ELOOP") || isCode(e, "ENOTDIR") || isCode(e, "ENXIO")) return null;
    throw e;
  }
}

/** Reads all of session.json (a few hundred bytes, written by this adapter); `sizeHint` is its size by fstat. */
function readAll(fd: number, sizeHint = 16_383): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  // One byte more than expected: a read that returns less is the end.
  for (let size = sizeHint + 1; ; size *= 2) {
    const chunk = new Uint8Array(size);
    const bytesRead = fs.readSync(fd, chunk, 0, size, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (bytesRead < size) break;
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
