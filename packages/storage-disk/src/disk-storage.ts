import { randomBytes } from "node:crypto";
import * as fsp from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  canonicalSessionId,
  canonicalWorkspacePath,
  type CommitResult,
  FileNotFoundError,
  type Journal,
  KeyedMutex,
  parseOrThrow,
  planCommit,
  SessionExistsError,
  type SessionMetadata,
  SessionMetadataSchema,
  SessionNotFoundError,
  type StorageAdapter,
  StorageConflictError,
  StorageError,
  type WorkspaceEntry,
} from "@llm-wasm-sandbox/core";
import { type CommitPhaseHook, recoverCommit, runCommit, type SessionPaths, sessionPaths } from "./commit-log.js";
import { acquireLockFile, LockTimeoutError } from "./lock-file.js";
import { createFileExclusive, isCode, lstatOrNull, readRegularFile, resolveInside, walkTree, writeFileAtomic } from "./safe-fs.js";

/** Options of `diskStorage`. */
export interface DiskStorageOptions {
  /** Directory holding one sub-directory per session (default `./workspace`, resolved against the cwd). */
  readonly workspaceRoot?: string;
  /** How long `commit` and `lock()` wait for another process's lock before failing (default 30 s). */
  readonly lockTimeoutMs?: number;
  /** Age after which a lock held by a process on another host is taken over (default 10 min). */
  readonly staleLockMs?: number;
  /**
   * fsync files and directories so a commit survives power loss (default true).
   * With false, commits stay atomic across process crashes (SIGKILL, OOM kills)
   * but a power cut may lose or roll back recent commits; much faster on slow disks.
   */
  readonly fsync?: boolean;
  /** Observability hook called as a commit passes each phase; used by the crash tests. */
  readonly onCommitPhase?: CommitPhaseHook;
}

/** The disk adapter: a StorageAdapter plus where it keeps things. */
export interface DiskStorage extends StorageAdapter, AsyncDisposable {
  /** Absolute path of the workspace root. */
  readonly root: string;
  /** Absolute directory of a session's files (what guests see as /app). */
  filesDir(sessionId: string): string;
  /** Exclusive cross-process lock on a session (see the README): always present on disk storage. */
  lock(sessionId: string, options?: { timeoutMs?: number }): Promise<() => Promise<void>>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Sessions as directories on the local disk:
 *
 * ```text
 * <root>/<sessionId>/session.json     metadata (written atomically)
 * <root>/<sessionId>/files/...        the workspace (/app)
 * <root>/<sessionId>/.commit/         a commit in progress (staged files + intent.json)
 * <root>/.locks/<sessionId>.lock      cross-process session lock (`lock()`)
 * <root>/.locks/<sessionId>.commit.lock   serializes commits and crash recovery
 * ```
 *
 * Commits are crash-atomic (see commit-log.ts for the protocol), listings are
 * snapshots (never half of a concurrent commit); symlinks and special files
 * planted in a workspace are never followed.
 *
 * ```ts
 * const storage = diskStorage({ workspaceRoot: "./workspace" });
 * ```
 */
export function diskStorage(options: DiskStorageOptions = {}): DiskStorage {
  const root = resolve(options.workspaceRoot ?? "./workspace");
  const locks = join(root, ".locks");
  const mutex = new KeyedMutex();
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  const staleMs = options.staleLockMs ?? 600_000;
  const sync = options.fsync ?? true;

  const fileLock = async (sessionId: string, name: string, timeoutMs: number): Promise<() => Promise<void>> => {
    await fsp.mkdir(locks, { recursive: true });
    try {
      return await acquireLockFile(join(locks, name), { timeoutMs, staleMs });
    } catch (e) {
      if (e instanceof LockTimeoutError) {
        const who = e.owner ? `pid ${e.owner.pid} on ${e.owner.host} since ${new Date(e.owner.acquiredAt).toISOString()}` : "an unknown process";
        throw new StorageConflictError(sessionId, `locked by ${who}; waited ${e.waitedMs} ms`, { cause: e });
      }
      throw new StorageError("disk", `cannot take lock ${name}: ${String(e)}`, { cause: e });
    }
  };

  /** In-process mutex first (cheap), then the cross-process commit lock file. */
  const withCommitLock = <T>(sessionId: string, fn: () => Promise<T>): Promise<T> =>
    mutex.run(sessionId, async () => {
      const release = await fileLock(sessionId, `${sessionId}.commit.lock`, lockTimeoutMs);
      try {
        return await fn();
      } finally {
        await release();
      }
    });

  const paths = async (sessionId: string): Promise<SessionPaths> => {
    const id = canonicalSessionId(sessionId);
    const p = sessionPaths(root, id);
    const st = await lstatOrNull(p.dir);
    if (!st?.isDirectory() || !(await lstatOrNull(p.meta))?.isFile()) throw new SessionNotFoundError(id);
    const files = await lstatOrNull(p.files);
    if (!files?.isDirectory()) throw new StorageError("disk", `session "${id}" is damaged: ${p.files} is not a real directory — delete the session`);
    return p;
  };

  /** Settles a commit interrupted by a crash before anyone reads the session. */
  const settled = async (sessionId: string): Promise<SessionPaths> => {
    const p = await paths(sessionId);
    if (await lstatOrNull(p.commitDir)) await withCommitLock(sessionId, () => recoverCommit(p, sessionId, sync));
    return p;
  };

  /**
   * The session's tree as of one moment. Every commit creates `.commit/` before
   * touching files/ and replaces session.json (a new inode) before removing it, so
   * a walk that starts and ends with no `.commit/` and the same session.json saw
   * no commit; otherwise it is retried, and finally done under the commit lock.
   */
  const snapshotTree = async (sessionId: string): Promise<WorkspaceEntry[]> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const p = await settled(sessionId);
      const before = await lstatOrNull(p.meta);
      const entries = await walkTree(p.files);
      const after = await lstatOrNull(p.meta);
      const quiet = !(await lstatOrNull(p.commitDir));
      if (quiet && before && after && before.ino === after.ino && before.mtimeMs === after.mtimeMs) return entries;
    }
    return withCommitLock(canonicalSessionId(sessionId), async () => {
      const p = await paths(sessionId);
      await recoverCommit(p, sessionId, sync);
      return walkTree(p.files);
    });
  };

  const readMeta = async (p: SessionPaths, sessionId: string): Promise<SessionMetadata> => {
    const bytes = await readRegularFile(p.meta);
    if (!bytes) throw new SessionNotFoundError(sessionId);
    try {
      return SessionMetadataSchema.parse(JSON.parse(dec.decode(bytes)));
    } catch (e) {
      throw new StorageError("disk", `session "${sessionId}" has damaged metadata (${p.meta}) — delete the session or restore the file`, { cause: e });
    }
  };

  /** `seen` receives the tree before the commit (deletePath uses it to say whether the path existed). */
  const commit = (sessionId: string, journal: Journal, seen?: (before: readonly WorkspaceEntry[]) => void): Promise<CommitResult> => {
    const id = canonicalSessionId(sessionId);
    return withCommitLock(id, async () => {
      const p = await paths(id);
      await recoverCommit(p, id, sync);
      const before = await walkTree(p.files);
      seen?.(before);
      const plan = planCommit(before, journal);
      const meta = await readMeta(p, id);
      const next = { ...meta, sizeBytes: plan.sizeBytes, fileCount: plan.fileCount, updatedAt: new Date().toISOString() };
      await runCommit(p, id, plan, next, { sync, hook: options.onCommitPhase });
      return { created: plan.created, modified: plan.modified, deleted: plan.deleted };
    });
  };

  const getSession = async (sessionId: string): Promise<SessionMetadata | null> => {
    try {
      const p = await settled(sessionId);
      return await readMeta(p, sessionId);
    } catch (e) {
      if (SessionNotFoundError.isInstance(e)) return null;
      throw e;
    }
  };

  return {
    kind: "disk",
    root,
    filesDir: (sessionId) => sessionPaths(root, canonicalSessionId(sessionId)).files,

    async createSession(metadata) {
      const meta = parseOrThrow(SessionMetadataSchema, metadata, "session metadata");
      const id = canonicalSessionId(meta.sessionId);
      const p = sessionPaths(root, id);
      await fsp.mkdir(root, { recursive: true });
      for (const dir of [p.dir, p.files]) {
        const st = await lstatOrNull(dir);
        // Never create a session through something planted at its path (a symlink would redirect it).
        if (st && !st.isDirectory()) throw new StorageError("disk", `cannot create session "${id}": ${dir} exists and is not a directory — remove it`);
        if (!st) await fsp.mkdir(dir).catch((e: unknown) => {
          if (!isCode(e, "EEXIST")) throw e;
        });
      }
      const body = enc.encode(JSON.stringify({ ...meta, sizeBytes: 0, fileCount: 0 }));
      if (!(await createFileExclusive(p.dir, "session.json", body))) throw new SessionExistsError(id);
    },

    getSession,

    async updateSession(sessionId, patch) {
      const id = canonicalSessionId(sessionId);
      return withCommitLock(id, async () => {
        const p = await paths(id);
        await recoverCommit(p, id, sync);
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const next = parseOrThrow(SessionMetadataSchema, { ...(await readMeta(p, id)), ...defined }, "session metadata patch");
        await writeFileAtomic(p.dir, "session.json", enc.encode(JSON.stringify(next)), sync);
        return next;
      });
    },

    async deleteSession(sessionId) {
      const id = canonicalSessionId(sessionId);
      return withCommitLock(id, async () => {
        const dir = sessionPaths(root, id).dir;
        const st = await lstatOrNull(dir);
        if (!st) return false;
        // Rename first so the session vanishes in one step, then remove at leisure.
        const trash = join(root, ".trash");
        await fsp.mkdir(trash, { recursive: true });
        const target = join(trash, `${id}.${randomBytes(6).toString("hex")}`);
        await fsp.rename(dir, target);
        await fsp.rm(target, { recursive: true, force: true });
        return st.isDirectory();
      });
    },

    async listSessions() {
      let names: string[];
      try {
        names = await fsp.readdir(root);
      } catch (e) {
        if (isCode(e, "ENOENT")) return [];
        throw e;
      }
      const out: SessionMetadata[] = [];
      for (const name of names.sort()) {
        if (name.startsWith(".")) continue;
        try {
          const meta = await getSession(name);
          if (meta) out.push(meta);
        } catch {
          // Not a session directory (invalid id or damaged metadata): not listed.
        }
      }
      return out;
    },

    async listFiles(sessionId) {
      return snapshotTree(sessionId);
    },

    async readFile(sessionId, path) {
      const p = await settled(sessionId);
      const rel = canonicalWorkspacePath(path);
      const abs = await resolveInside(p.files, rel);
      const data = abs ? await readRegularFile(abs) : null;
      if (!data) throw new FileNotFoundError(sessionId, rel);
      return data;
    },

    async writeFile(sessionId, path, data) {
      await commit(sessionId, { entries: [{ op: "write", path: canonicalWorkspacePath(path), data }] });
    },

    async deletePath(sessionId, path) {
      const rel = canonicalWorkspacePath(path);
      let existed = false;
      await commit(sessionId, { entries: [{ op: "delete", path: rel }] }, (before) => {
        existed = before.some((e) => e.path === rel);
      });
      return existed;
    },

    commit: (sessionId, journal) => commit(sessionId, journal),

    async sizeOf(sessionId) {
      const entries = await snapshotTree(sessionId);
      return entries.reduce((sum, e) => sum + e.size, 0);
    },

    async lock(sessionId, lockOptions) {
      const id = canonicalSessionId(sessionId);
      return fileLock(id, `${id}.lock`, lockOptions?.timeoutMs ?? lockTimeoutMs);
    },

    async close() {},
    async [Symbol.asyncDispose]() {},
  };
}
