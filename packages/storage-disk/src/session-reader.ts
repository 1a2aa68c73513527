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
   * session.json (a new inode) before removing it, so a walk that starts and ends
   * with no `.commit/` and the session.json inode it read the metadata from saw no
   * commit; otherwise it is retried, and finally done under the commit lock.
   */
  const snapshot = async (sessionId: string): Promise<SessionSnapshot> => {
    const id = canonicalSessionId(sessionId);
    const make = (p: SessionPaths, metadata: SessionMetadata, entries: WorkspaceEntry[]): SessionSnapshot => ({
      metadata,
      entries,
      read: async (path) => readFile(p, id, canonicalWorkspacePath(path)),
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      const p = await settled(id);
      const meta = await readMetaWithInode(p.meta);
      if (!meta) throw new SessionNotFoundError(id);
      const entries = await walkTree(p.files);
      const after = await lstatOrNull(p.meta);
      const quiet = !(await lstatOrNull(p.commitDir));
      if (quiet && after && after.ino === meta.ino && after.mtimeMs === meta.mtimeMs) return make(p, parseMeta(meta.bytes, p, id), entries);
    }
    return locks.withCommitLock(id, async () => {
      const p = await paths(id);
      await recoverCommit(p, id, sync);
      const metadata = await readMeta(p, id);
      return make(p, metadata, await walkTree(p.files));
    });
  };

  return { paths, settled, readMeta, snapshot, readFile };
}

/** session.json's bytes with the inode and mtime they were read from; null when it is not a regular file. */
async function readMetaWithInode(path: string): Promise<{ bytes: Uint8Array; ino: number; mtimeMs: number } | null> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if (isCode(e, "ENOENT") || isCode(e, "ELOOP") || isCode(e, "ENOTDIR") || isCode(e, "ENXIO")) return null;
    throw e;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return null;
    const buf = await handle.readFile();
    return { bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), ino: st.ino, mtimeMs: st.mtimeMs };
  } finally {
    await handle.close();
  }
}
