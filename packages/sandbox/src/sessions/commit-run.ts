import {
  canonicalSessionId,
  checkRecordKey,
  type CommitPlan,
  type CommitResult,
  emptyPlan,
  type ExecutionPolicy,
  isEmptyPlan,
  type SandboxResult,
  SandboxResultSchema,
  type SessionMetadata,
  type SessionQuota,
  type SessionSnapshot,
  type StorageAdapter,
} from "@llm-wasm-sandbox/core";
import { withSessionLockReleasedAfter } from "./session-lock.js";

/** What a run hands back to `withSessionRun`: its plan (against the snapshot it was given) and its value. */
export interface SessionRunBody<T> {
  readonly plan: CommitPlan;
  readonly value: T;
}

/** Idempotency of a run: the value of the first run with `key` is stored with its commit and returned to every later call. */
export interface RunIdempotency<T> {
  /** 1–256 characters, chosen by the caller (an MCP client's idempotency key). */
  readonly key: string;
  readonly encode: (value: T) => Uint8Array;
  /** Parses a stored value; throw when it does not validate. */
  readonly decode: (bytes: Uint8Array) => T;
}

/** Options of `withSessionRun`. */
export interface SessionRunOptions<T> {
  /** Limits the run's commit must respect (see `sessionQuotaOf`). */
  readonly quota?: SessionQuota | undefined;
  /** How long to wait for another process's session lock (adapter default when omitted). */
  readonly lockTimeoutMs?: number | undefined;
  readonly idempotency?: RunIdempotency<T> | undefined;
}

/** What `withSessionRun` did. */
export interface SessionRunOutcome<T> {
  readonly value: T;
  /** What the commit changed; empty (at the start version) when nothing was committed. */
  readonly commit: CommitResult;
  /** True when the run wrote to storage (one commit). */
  readonly committed: boolean;
  /** True when an earlier run with the same idempotency key was found: `value` is its value, nothing ran. */
  readonly replayed: boolean;
}

/**
 * A run that changed nothing refreshes its session's `updatedAt` (and counts
 * itself in `executionCount`) only when the last write is older than this, so
 * that an idle-session prune never removes a session in read-only use, while a
 * busy read-only session costs no write at all (like `relatime`).
 */
export const IDLE_REFRESH_MS = 3_600_000;

/**
 * The storage side of one execution, start to end: holds the session lock (released
 * after this resolves; this process's next run of the session waits for it),
 * takes a snapshot (the version the run starts from), runs `body` on it, and
 * commits the run's plan in ONE conditional commit — files, sizes, `version + 1`,
 * `executionCount + 1`, `updatedAt` and the idempotency record together. If the
 * session moved on meanwhile (another host, a lost lease) the commit fails with
 * StorageConflictError and nothing is written; a plan over the quota fails with
 * StorageQuotaError, nothing written.
 *
 * A run whose plan is empty writes nothing — no commit, no metadata write — so
 * `executionCount` does not count it, unless the session's last write is older
 * than IDLE_REFRESH_MS (then one metadata-only commit refreshes it) or the run
 * has an idempotency key (its record must be stored).
 *
 * ```ts
 * const { value, commit } = await withSessionRun(storage, sessionId, async (start) => {
 *   const raw = await runGuest(start.entries, start.read); // plans against start.entries
 *   return { plan: raw.plan, value: raw };
 * }, { quota: sessionQuotaOf(policy) });
 * ```
 * @throws StorageConflictError, StorageQuotaError, SessionNotFoundError, and whatever `body` throws (nothing is committed then).
 */
export async function withSessionRun<T>(
  storage: StorageAdapter,
  sessionId: string,
  body: (start: SessionSnapshot) => Promise<SessionRunBody<T>>,
  options: SessionRunOptions<T> = {},
): Promise<SessionRunOutcome<T>> {
  const id = canonicalSessionId(sessionId);
  const lock = options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs };
  return withSessionLockReleasedAfter(
    storage,
    id,
    async () => {
      const idem = options.idempotency;
      const start = await startOf(storage, id);
      const unchanged: CommitResult = { created: [], modified: [], deleted: [], version: start.metadata.version };
      if (idem) {
        const stored = await storage.readRecord(id, idem.key);
        if (stored) return { value: idem.decode(stored), commit: unchanged, committed: false, replayed: true };
      }
      const { plan, value } = await body(start);
      const refresh = Date.now() - Date.parse(start.metadata.updatedAt) >= IDLE_REFRESH_MS;
      if (isEmptyPlan(plan) && !idem && !refresh) {
        keepListing(storage, id, start);
        return { value, commit: unchanged, committed: false, replayed: false };
      }
      forgetListing(storage, id);
      const commit = await storage.commit(id, isEmptyPlan(plan) ? emptyPlan(start.metadata) : plan, {
        expectedVersion: start.metadata.version,
        executions: 1,
        quota: options.quota,
        ...(idem ? { record: { key: idem.key, data: idem.encode(value) } } : {}),
      });
      return { value, commit, committed: true, replayed: false };
    },
    lock,
  );
}

/**
 * Listings of sessions whose last run here committed nothing, for the session's next
 * run (see `startOf`): at most MAX_KEPT_SESSIONS per adapter, each of at most
 * MAX_KEPT_ENTRIES entries, so the host holds a bounded amount for them.
 */
const kept = new WeakMap<StorageAdapter, Map<string, SessionSnapshot>>();
const MAX_KEPT_SESSIONS = 64;
const MAX_KEPT_ENTRIES = 4_096;

/**
 * The snapshot a run starts from. When the session's previous run in this process
 * committed nothing and its metadata is still exactly what that run started from,
 * that snapshot is this run's too: every commit bumps `version` and rewrites the
 * metadata (a deleted and re-created session has another `createdAt`), so equal
 * metadata is the same version, whose listing and bytes a snapshot pins. Reading the
 * metadata is one small read (synchronous on disk storage) where a new snapshot walks
 * the session's files (a thread-pool round trip at least).
 */
async function startOf(storage: StorageAdapter, id: string): Promise<SessionSnapshot> {
  const sessions = kept.get(storage);
  const previous = sessions?.get(id);
  if (previous !== undefined) {
    sessions!.delete(id);
    const now = await storage.getSession(id);
    if (now !== null && sameMetadata(now, previous.metadata)) return previous;
  }
  return storage.snapshot(id);
}

function keepListing(storage: StorageAdapter, id: string, start: SessionSnapshot): void {
  if (start.entries.length > MAX_KEPT_ENTRIES) return;
  let sessions = kept.get(storage);
  if (sessions === undefined) {
    sessions = new Map();
    kept.set(storage, sessions);
  }
  sessions.delete(id);
  sessions.set(id, start);
  // Insertion order: the first key is the session least recently kept.
  if (sessions.size > MAX_KEPT_SESSIONS) sessions.delete(sessions.keys().next().value!);
}

function forgetListing(storage: StorageAdapter, id: string): void {
  kept.get(storage)?.delete(id);
}

function sameMetadata(a: SessionMetadata, b: SessionMetadata): boolean {
  return (
    a.version === b.version &&
    a.updatedAt === b.updatedAt &&
    a.createdAt === b.createdAt &&
    a.sizeBytes === b.sizeBytes &&
    a.fileCount === b.fileCount &&
    a.executionCount === b.executionCount &&
    a.runtime === b.runtime &&
    a.autoPersistGlobals === b.autoPersistGlobals &&
    a.damaged === undefined &&
    b.damaged === undefined
  );
}

/** The per-session limits of a policy, as a commit takes them. */
export function sessionQuotaOf(policy: Pick<ExecutionPolicy, "maxSessionBytes" | "maxSessionFiles">): SessionQuota {
  return { maxBytes: policy.maxSessionBytes, maxFiles: policy.maxSessionFiles };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Idempotency for `execute`: the run's result is stored with its commit under
 * `key`; a later call with the same key in the same session returns that result,
 * with a note saying so, and runs nothing. The stored result is host-written
 * (guests cannot reach records) and validated when read back.
 * @throws PolicyValidationError for a key that is not 1–256 characters.
 */
export function resultIdempotency(key: string): RunIdempotency<SandboxResult> {
  checkRecordKey(key);
  return {
    key,
    encode: (result) => enc.encode(JSON.stringify(result)),
    decode: (bytes) => {
      const result = SandboxResultSchema.parse(JSON.parse(dec.decode(bytes)));
      return { ...result, notes: [...result.notes, `replayed: a run with idempotency key ${JSON.stringify(key.slice(0, 80))} already ran in this session; this is its result, nothing ran again`] };
    },
  };
}
