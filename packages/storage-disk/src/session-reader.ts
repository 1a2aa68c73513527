import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import {
  canonicalSessionId,
  canonicalWorkspacePath,
  FileNotFoundError,
  type SessionMetadata,
  SessionMetadataSchema,
  SessionNotFoundError,
  type SessionSnapshot,
  StorageError,
  type WorkspaceEntry,
} from "@llm-wasm-sandbox/core";
import { recoverCommit, type SessionPaths, sessionPaths } from "./commit-log.js";
import type { SessionLocks } from "./session-locks.js";
import { isCode, lstatOrNull, readRegularFile, resolveInside, walkTree } from "./safe-fs.js";

const dec = new TextDecoder();

/** Reads sessions consistently: never half of a concurrent commit, always after crash recovery. */
export interface SessionReader {
  /** The session's paths, after checking it exists and is not damaged. @throws SessionNotFoundError, StorageError */
  paths(sessionId: string): Promise<SessionPaths>;
  /** Like `paths`, after finishing or undoing a commit a crash interrupted. */
  settled(sessionId: string): Promise<SessionPaths>;
  /** Parsed session.json. @throws SessionNotFoundError, StorageError (damaged) */
  readMeta(p: SessionPaths, sessionId: string): Promise<SessionMetadata>;
  /** Metadata and listing of one version. */
  snapshot(sessionId: string): Promise<SessionSnapshot>;
  /** A file of the current version; `rel` must be canonical. */
  readFile(p: SessionPaths, sessionId: string, rel: string): Promise<Uint8Array>;
}

/** The read side of the disk adapter. */
export function sessionReader(root: string, locks: SessionLocks, sync: boolean): SessionReader {
  const paths = async (sessionId: string): Promise<SessionPaths> => {
    const id = canonicalSessionId(sessionId);
    const p = sessionPaths(root, id);
    const st = await lstatOrNull(p.dir);
    if (!st?.isDirectory() || !(await lstatOrNull(p.meta))?.isFile()) throw new SessionNotFoundError(id);
    const files = await lstatOrNull(p.files);
    if (!files?.isDirectory()) throw new StorageError("disk", `session "${id}" is damaged: ${p.files} is not a real directory — delete the session`);
    return p;
  };

  const settled = async (sessionId: string): Promise<SessionPaths> => {
    const p = await paths(sessionId);
    if (await lstatOrNull(p.commitDir)) await locks.withCommitLock(canonicalSessionId(sessionId), () => recoverCommit(p, sessionId, sync));
    return p;
  };

  const parseMeta = (bytes: Uint8Array, p: SessionPaths, sessionId: string): SessionMetadata => {
    try {
      return SessionMetadataSchema.parse(JSON.parse(dec.decode(bytes)));
    } catch (e) {
      throw new StorageError("disk", `session "${sessionId}" has damaged metadata (${p.meta}) — delete the session or restore the file`, { cause: e });
    }
  };

  const readMeta = async (p: SessionPaths, sessionId: string): Promise<SessionMetadata> => {
    const bytes = await readRegularFile(p.meta);
    if (!bytes) throw new SessionNotFoundError(sessionId);
    return parseMeta(bytes, p, sessionId);
  };

  const readFile = async (p: SessionPaths, sessionId: string, rel: string): Promise<Uint8Array> => {
    const abs = await resolveInside(p.files, rel);
    const data = abs ? await readRegularFile(abs) : null;
    if (!data) throw new FileNotFoundError(sessionId, rel);
    return data;
  };

  /**
   * Every commit creates `.commit/` before touching files/ and replaces
   * session.json (a new inode) after the last change to files/ and before removing
   * `.commit/`. So a walk that starts after session.json was opened and ends with no
   * `.commit/` and that inode still at session.json saw no commit, or all of one;
   * otherwise it is retried, and finally done under the commit lock.
   *
   * It is taken at the start of every run, so its file-system requests go out
   * together where nothing orders them: the session's checks with the open of
   * session.json; its stat, its read and the walk; the final checks with the close —
   * three round trips (more only for the walk of a large tree) instead of ten in a row.
   */
  const snapshot = async (sessionId: string): Promise<SessionSnapshot> => {
    const id = canonicalSessionId(sessionId);
    const p = sessionPaths(root, id);
    const make = (metadata: SessionMetadata, entries: WorkspaceEntry[]): SessionSnapshot => ({
      metadata,
      entries,
      read: async (path) => readFile(p, id, canonicalWorkspacePath(path)),
    });
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
    const [dir, files, pending, handle] = await Promise.all([lstatOrNull(p.dir), lstatOrNull(p.files), lstatOrNull(p.commitDir), openMeta(p.meta)]);
    try {
      if (!dir?.isDirectory() || handle === null) throw new SessionNotFoundError(id);
      if (!files?.isDirectory()) throw new StorageError("disk", `session "${id}" is damaged: ${p.files} is not a real directory — delete the session`);
      // A commit in progress or cut short: wait for it / finish or undo it, then look again.
      if (pending !== null) {
        await settled(id);
        return null;
      }
      // The walk may start once session.json is open: its inode is the one the end check compares.
      const [st, read, entries] = await Promise.all([handle.stat(), readAll(handle).then((buf) => ({ buf }), (error: unknown) => ({ error })), walkTree(p.files)]);
      if (!st.isFile()) throw new SessionNotFoundError(id);
      if ("error" in read) throw read.error;
      const { buf } = read;
      const [after, stillPending] = await Promise.all([lstatOrNull(p.meta), lstatOrNull(p.commitDir), closing(handle)]);
      if (stillPending !== null || after === null || after.ino !== st.ino || after.mtimeMs !== st.mtimeMs) return null;
      return { meta: buf, entries };
    } finally {
      await closing(handle);
    }
  };

  return { paths, settled, readMeta, snapshot, readFile };
}

/** session.json opened without following a symlink or blocking on a fifo; null when there is no file to open. */
async function openMeta(path: string): Promise<fsp.FileHandle | null> {
  try {
    return await fsp.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if (isCode(e, "ENOENT") || isCode(e, "ELOOP") || isCode(e, "ENOTDIR") || isCode(e, "ENXIO")) return null;
    throw e;
  }
}

/** Reads session.json's size in one request unless it grew past the first buffer (FileHandle.readFile takes three: stat, read, read). */
async function readAll(handle: fsp.FileHandle): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let size = 16_384; ; size *= 2) {
    const chunk = new Uint8Array(size);
    const { bytesRead } = await handle.read(chunk, 0, size, total);
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

const closed = new WeakSet<fsp.FileHandle>();

/** Closes `handle` once (later calls resolve at once). */
async function closing(handle: fsp.FileHandle | null): Promise<void> {
  if (handle === null || closed.has(handle)) return;
  closed.add(handle);
  await handle.close();
}
