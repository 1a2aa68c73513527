import { createHash, randomBytes } from "node:crypto";
import * as fsp from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  canonicalSessionId,
  canonicalWorkspacePath,
  checkCommitOptions,
  checkExpectedVersion,
  checkPlanPaths,
  checkRecordKey,
  checkSessionQuota,
  type CommitOptions,
  type CommitPlan,
  type CommitResult,
  type Journal,
  parseOrThrow,
  planCommit,
  SessionExistsError,
  type SessionMetadata,
  SessionMetadataSchema,
  SessionNotFoundError,
  type StorageAdapter,
  StorageError,
  tightestQuota,
} from "@llm-wasm-sandbox/core";
import { type CommitPhaseHook, recoverCommit, runCommit, sessionPaths } from "./commit-log.js";
import { slotPendingSync } from "./intent-slot.js";
import { createFileExclusive, isCode, lstatOrNull, readRegularFile, walkTree, writeFileAtomic } from "./safe-fs.js";
import { sessionLocks } from "./session-locks.js";
import { sessionReader } from "./session-reader.js";

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
  /** Most bytes of file data one session may hold (besides the policy's own limit). Unlimited when omitted. */
  readonly maxSessionBytes?: number;
  /** Most files one session may hold (besides the policy's own limit). Unlimited when omitted. */
  readonly maxSessionFiles?: number;
  /**
   * Only this process uses `workspaceRoot` (no CLI run, server or other host
   * shares it): sessions are locked in this process's memory instead of by lock
   * files, so a run that changes nothing touches no file at all (default false).
   * Commits stay crash-atomic. Never set it when another process may open the
   * same root: without lock files, commits of two processes are no longer
   * serialized and can damage a session.
   */
  readonly singleProcess?: boolean;
  /**
   * How long a session's run lock file is kept after a run, for this process's next run
   * of the session, and its commit lock file after a commit, for the next commit
   * (default 5 000 ms; 0 removes them after every use). Kept, each is still the session's
   * lock: another process or host that wants it asks for it and gets it as soon as the
   * run or commit holding it ends (within this time on a file system whose changes this
   * host cannot watch). `close()` releases kept locks, and so does the process's exit.
   */
  readonly keepRunLockMs?: number;
  /** Observability hook called as a commit passes each phase; used by the crash tests. */
  readonly onCommitPhase?: CommitPhaseHook;
}

/** The disk adapter: a StorageAdapter plus where it keeps things. */
export interface DiskStorage extends StorageAdapter, AsyncDisposable {
  /** Absolute path of the workspace root. */
  readonly root: string;
  /** Absolute directory of a session's files (what guests see as /app). */
  filesDir(sessionId: string): string;
  /** Absolute path of a session's lock file: "run" for `lock()`, "commit" for commits (injective in the id; unused with `singleProcess`). */
  lockPath(sessionId: string, purpose: "run" | "commit"): string;
  /** Exclusive lock on a session, across processes (in this process only with `singleProcess`; see the README): always present on disk storage. */
  lock(sessionId: string, options?: { timeoutMs?: number }): Promise<() => Promise<void>>;
}

const enc = new TextEncoder();

/** Most sessions whose intent slot one adapter remembers having looked at. */
const MAX_CHECKED_SESSIONS = 4_096;

/**
 * Sessions as directories on the local disk:
 *
 * ```text
 * <root>/<sessionId>/session.json     metadata (written atomically)
 * <root>/<sessionId>/files/...        the workspace (/app)
 * <root>/<sessionId>/records/<hash>   records stored with commits (idempotency)
 * <root>/<sessionId>/.commit/         a commit in progress (staged files + intent.json)
 * <root>/.locks/run/<sessionId>.lock      cross-process session lock (`lock()`)
 * <root>/.locks/commit/<sessionId>.lock   serializes commits and crash recovery
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
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  const sync = options.fsync ?? true;
  const locks = sessionLocks(root, { timeoutMs: lockTimeoutMs, staleMs: options.staleLockMs ?? 600_000, singleProcess: options.singleProcess ?? false, keepRunLockMs: options.keepRunLockMs ?? 5_000 });
  const reader = sessionReader(root, locks, sync, (id) => finishing.get(id));
  const adapterQuota = { maxBytes: options.maxSessionBytes, maxFiles: options.maxSessionFiles };

  /** Commits whose last step (commit-log.ts `CommitFinish`) still runs, by session. */
  const finishing = new Map<string, Promise<void>>();

  /**
   * `plan` computes the plan under the commit lock, from the current listing, when the caller has none.
   * `commitOptions` null: a host-side write, planned and committed at the current version.
   * Resolves once the commit is durable and applied; its last step then runs on under the commit lock.
   */
  const commit = (sessionId: string, plan: CommitPlan | ((before: ReturnType<typeof walkTree>) => Promise<CommitPlan>), commitOptions: CommitOptions | null): Promise<CommitResult> => {
    const id = canonicalSessionId(sessionId);
    return new Promise<CommitResult>((resolveCommit, rejectCommit) => {
      const held = locks.withCommitLock(id, async () => {
        const p = await reader.paths(id);
        await recoverCommit(p, id, sync);
        const meta = await reader.readMeta(p, id);
        if (commitOptions) checkExpectedVersion(id, meta.version, commitOptions);
        const planned = typeof plan === "function" ? await plan(walkTree(p.files)) : plan;
        checkPlanPaths(planned);
        checkSessionQuota(id, meta, planned, tightestQuota(adapterQuota, commitOptions?.quota));
        const record = commitOptions?.record;
        const next: SessionMetadata = {
          ...meta,
          sizeBytes: planned.sizeBytes,
          fileCount: planned.fileCount,
          updatedAt: new Date().toISOString(),
          executionCount: meta.executionCount + (commitOptions?.executions ?? 0),
          version: meta.version + 1,
        };
        const finish = await runCommit(p, id, { plan: planned, metadata: next, ...(record ? { record: { name: recordName(record.key), data: record.data } } : {}) }, { sync, hook: options.onCommitPhase });
        resolveCommit({ created: planned.created, modified: planned.modified, deleted: planned.deleted, version: next.version });
        // Step 4 starts once the caller has gone on with the result (the macrotask after this):
        // issued at once, its fsyncs and closes went to the thread pool before the caller could
        // resume (0.17–0.36 ms of a 1 KB commit, measured). Still under the commit lock; the commit is durable.
        await new Promise<void>((later) => setImmediate(later));
        await finish();
      });
      // Before the commit resolved: its error. After: a failed last step left the intent, which the next access rolls forward.
      const settled = held.then(() => undefined, rejectCommit);
      finishing.set(id, settled);
      void settled.then(() => {
        if (finishing.get(id) === settled) finishing.delete(id);
      });
    });
  };

  /** Host-side writes: planned against the current tree under the commit lock. */
  const commitJournal = (sessionId: string, journal: Journal, seen?: (before: readonly { path: string }[]) => void): Promise<CommitResult> =>
    commit(
      sessionId,
      async (listing) => {
        const before = await listing;
        seen?.(before);
        return planCommit(before, journal);
      },
      null,
    );

  /**
   * Sessions whose intent slot this adapter has looked at (see `recovered`): at most
   * MAX_CHECKED_SESSIONS, then forgotten all at once (looking again costs one small read).
   */
  const checked = new Set<string>();
  /**
   * Before the first read of a session by this adapter: a small commit whose staging area
   * a power cut lost still has its intent in the slot (intent-slot.ts), and is rolled
   * forward now — readers otherwise find interrupted commits by their `.commit/` alone.
   */
  const recovered = async (sessionId: string): Promise<void> => {
    const id = canonicalSessionId(sessionId);
    if (checked.has(id)) return;
    const p = sessionPaths(root, id);
    if (slotPendingSync(p.dir)) {
      await locks.withCommitLock(id, async () => {
        await recoverCommit(await reader.paths(id), id, sync);
      });
    }
    if (checked.size >= MAX_CHECKED_SESSIONS) checked.clear();
    checked.add(id);
  };

  /** A commit still finishing holds its commit lock: released (kept, at its end) only after it is done. */
  const closeAdapter = async (): Promise<void> => {
    await Promise.all(finishing.values());
    await locks.close();
  };

  const getSession = async (sessionId: string): Promise<SessionMetadata | null> => {
    try {
      await recovered(sessionId);
      return await reader.metadata(sessionId);
    } catch (e) {
      if (SessionNotFoundError.isInstance(e)) return null;
      throw e;
    }
  };

  return {
    kind: "disk",
    root,
    filesDir: (sessionId) => sessionPaths(root, canonicalSessionId(sessionId)).files,
    lockPath: (sessionId, purpose) => locks.pathOf(canonicalSessionId(sessionId), purpose),

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
      const body = enc.encode(JSON.stringify({ ...meta, sizeBytes: 0, fileCount: 0, version: 0 }));
      if (!(await createFileExclusive(p.dir, "session.json", body))) throw new SessionExistsError(id);
    },

    getSession,

    async updateSession(sessionId, patch) {
      const id = canonicalSessionId(sessionId);
      return locks.withCommitLock(id, async () => {
        const p = await reader.paths(id);
        await recoverCommit(p, id, sync);
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const current = await reader.readMeta(p, id);
        // A metadata update never moves the version: plans computed against it stay valid.
        const next = parseOrThrow(SessionMetadataSchema, { ...current, ...defined, version: current.version }, "session metadata patch");
        await writeFileAtomic(p.dir, "session.json", enc.encode(JSON.stringify(next)), sync);
        return next;
      });
    },

    async deleteSession(sessionId) {
      const id = canonicalSessionId(sessionId);
      return locks.withCommitLock(id, async () => {
        const dir = sessionPaths(root, id).dir;
        const st = await lstatOrNull(dir);
        if (!st) return false;
        // Rename first so the session vanishes in one step, then remove at leisure.
        const trash = join(root, ".trash");
        await fsp.mkdir(trash, { recursive: true });
        const target = join(trash, `${randomBytes(8).toString("hex")}-${id}`);
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
        let id: string;
        try {
          id = canonicalSessionId(name);
        } catch {
          continue; // not a session directory
        }
        try {
          const meta = await getSession(id);
          if (!meta) throw new Error("session.json is missing");
          out.push(meta);
        } catch (e) {
          // Listed as damaged, so that pruning can remove it instead of it staying hidden forever.
          const damaged = await damagedEntry(join(root, id), id, e);
          if (damaged) out.push(damaged);
        }
      }
      return out;
    },

    async listFiles(sessionId) {
      await recovered(sessionId);
      return [...(await reader.snapshot(sessionId)).entries];
    },

    async snapshot(sessionId) {
      await recovered(sessionId);
      return reader.snapshot(sessionId);
    },

    async readFile(sessionId, path) {
      const id = canonicalSessionId(sessionId);
      await recovered(id);
      return reader.readFile(await reader.settled(id), id, canonicalWorkspacePath(path));
    },

    async writeFile(sessionId, path, data) {
      await commitJournal(sessionId, { entries: [{ op: "write", path: canonicalWorkspacePath(path), data }] });
    },

    async deletePath(sessionId, path) {
      const rel = canonicalWorkspacePath(path);
      let existed = false;
      await commitJournal(sessionId, { entries: [{ op: "delete", path: rel }] }, (before) => {
        existed = before.some((e) => e.path === rel);
      });
      return existed;
    },

    async commit(sessionId, plan, commitOptions) {
      // Always checked here: a missing expectedVersion must never become an unconditional commit.
      checkCommitOptions(commitOptions);
      return commit(sessionId, plan, commitOptions);
    },

    async readRecord(sessionId, key) {
      checkRecordKey(key);
      await recovered(sessionId);
      const p = await reader.settled(sessionId);
      return readRegularFile(join(p.records, recordName(key)));
    },

    async sizeOf(sessionId) {
      await recovered(sessionId);
      const { entries } = await reader.snapshot(sessionId);
      return entries.reduce((sum, e) => sum + e.size, 0);
    },

    async collectGarbage(sessionId) {
      const id = canonicalSessionId(sessionId);
      return locks.withCommitLock(id, async () => {
        const p = await reader.paths(id);
        // Under the commit lock no commit is running: a staging area or a temp file is what a crash left.
        const recovered = await recoverCommit(p, id, sync);
        let removed = recovered === "rolled-back" ? 1 : 0;
        for (const name of await fsp.readdir(p.dir)) {
          if (/^\..+\.[0-9a-f]{12}\.tmp$/.test(name)) {
            await fsp.rm(join(p.dir, name), { force: true });
            removed++;
          }
        }
        // Sessions whose deletion a crash interrupted (renamed into .trash/, not yet removed).
        const trash = join(root, ".trash");
        for (const name of await fsp.readdir(trash).catch(() => [] as string[])) {
          await fsp.rm(join(trash, name), { recursive: true, force: true });
          removed++;
        }
        return removed;
      });
    },

    async lock(sessionId, lockOptions) {
      const id = canonicalSessionId(sessionId);
      return locks.acquire(id, "run", lockOptions?.timeoutMs ?? lockTimeoutMs);
    },

    /** Waits for the last step of commits still finishing, then releases the locks kept between uses (the adapter stays usable). */
    async close() {
      await closeAdapter();
    },
    async [Symbol.asyncDispose]() {
      await closeAdapter();
    },
  };
}

/** A `listSessions` entry for a session directory whose metadata cannot be read; null when it is not a directory. */
async function damagedEntry(dir: string, sessionId: string, error: unknown): Promise<SessionMetadata | null> {
  const st = await lstatOrNull(dir);
  if (!st?.isDirectory()) return null;
  const at = new Date(st.mtimeMs).toISOString();
  const reason = error instanceof Error ? error.message : String(error);
  return { sessionId, runtime: "unknown", createdAt: at, updatedAt: at, autoPersistGlobals: false, sizeBytes: 0, fileCount: 0, executionCount: 0, version: 0, damaged: reason };
}

/** File name of a record: a hash, so any key maps to one safe name. */
function recordName(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}
