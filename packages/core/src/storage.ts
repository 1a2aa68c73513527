import type { CommitPlan } from "./commit-plan.js";
import type { SessionMetadata, SessionMetadataInput } from "./session.js";

/** A file or directory in a session workspace. Paths are canonical and relative. */
export interface WorkspaceEntry {
  readonly path: string;
  readonly type: "file" | "directory";
  /** Bytes; 0 for directories. */
  readonly size: number;
  readonly mtimeMs: number;
}

/** One change an execution made to its workspace. */
export type JournalEntry =
  | { readonly op: "write"; readonly path: string; readonly data: Uint8Array }
  | { readonly op: "mkdir"; readonly path: string }
  | { readonly op: "delete"; readonly path: string };

/**
 * The changes of one execution, in order, already collapsed (a file written twice
 * appears once, a file created then deleted not at all). Paths are canonical.
 */
export interface Journal {
  readonly entries: readonly JournalEntry[];
}

/** What a commit changed, classified against the state before it. */
export interface CommitResult {
  readonly created: readonly string[];
  readonly modified: readonly string[];
  readonly deleted: readonly string[];
  /** The session's version after the commit (unchanged when nothing was committed). */
  readonly version: number;
}

/**
 * A session as of one version: metadata, the full listing, and a reader of that
 * version's bytes. What a run starts from; its plan is computed against
 * `entries` and committed with `expectedVersion: metadata.version`.
 */
export interface SessionSnapshot {
  readonly metadata: SessionMetadata;
  /** Every file and directory, recursively, sorted by path. Internal files included. */
  readonly entries: readonly WorkspaceEntry[];
  /**
   * Reads a file of this snapshot.
   * @throws FileNotFoundError; StorageConflictError when the session moved on and
   *   this version's bytes are gone (only possible without the session lock).
   */
  read(path: string): Promise<Uint8Array>;
}

/** Limits on a session's size after a commit. */
export interface SessionQuota {
  /** Most bytes of file data the session may hold. */
  readonly maxBytes?: number | undefined;
  /** Most files the session may hold. */
  readonly maxFiles?: number | undefined;
}

/**
 * A small blob stored atomically with a commit and read back by key (an
 * idempotency record: the result of the run the commit belongs to). Adapters keep
 * what `keptRecords` keeps: every record younger than `RECORD_RETENTION_MS` (up to
 * `RECORDS_MAX`) and the latest `RECORDS_KEPT` whatever their age.
 */
export interface SessionRecord {
  /** Any string up to 256 characters, chosen by the caller. */
  readonly key: string;
  readonly data: Uint8Array;
}

/** Records an adapter keeps per session whatever their age (the latest ones). */
export const RECORDS_KEPT = 64;

/**
 * A record younger than this is kept even past `RECORDS_KEPT`, so a client that
 * retries within it (after a crash, a lost reply, a 60 s request timeout) never
 * runs twice — however many other commits a busy shared session took meanwhile.
 */
export const RECORD_RETENTION_MS = 15 * 60_000;

/** Most records a session keeps, however young (bounds what an S3 session document carries). */
export const RECORDS_MAX = 1024;

/**
 * Which of a session's records a commit keeps: `records` oldest first, each with
 * the time (ms since the epoch) it was stored; returns the kept ones in order.
 */
export function keptRecords<T extends { readonly at: number }>(records: readonly T[], now: number): T[] {
  const youngSince = now - RECORD_RETENTION_MS;
  return records.filter((r, i) => i >= records.length - RECORDS_KEPT || r.at >= youngSince).slice(-RECORDS_MAX);
}

/** How a commit is applied. */
export interface CommitOptions {
  /**
   * The version the plan was computed against (`SessionSnapshot.metadata.version`).
   * If the session is at another version the commit fails with
   * StorageConflictError and nothing is written.
   */
  readonly expectedVersion: number;
  /** Added to `executionCount` (default 0). */
  readonly executions?: number | undefined;
  /**
   * Limits the commit must respect (besides the adapter's own): a commit that
   * leaves the session over a limit it did not exceed before, or grows a session
   * already over it, fails with StorageQuotaError and nothing is written. A commit
   * that shrinks an over-limit session is always allowed.
   */
  readonly quota?: SessionQuota | undefined;
  /** Stored atomically with the commit (see `readRecord`). */
  readonly record?: SessionRecord | undefined;
}

/** Fields a caller may change on a session's metadata. */
export type SessionMetadataPatch = Partial<Pick<SessionMetadata, "runtime" | "autoPersistGlobals" | "updatedAt" | "executionCount">>;

/**
 * Where sessions live. Every method takes canonical session ids and canonical
 * relative paths (see `canonicalSessionId`, `canonicalWorkspacePath`); adapters
 * still re-check them, since they are a security boundary of their own.
 *
 * `commit` is all-or-nothing: after a crash a reader sees the state before or
 * after the commit, never a mix. It is conditional on the version the plan was
 * computed against, so a commit on a session changed meanwhile (by another
 * process, or after a lock was lost) is a StorageConflictError, never a silent
 * overwrite. `lock` only avoids such conflicts; correctness never depends on it.
 */
export interface StorageAdapter {
  /** Short name used in messages and logs: "memory", "disk", "s3". */
  readonly kind: string;
  /** Sizes and version start at 0 whatever `metadata` says. @throws SessionExistsError */
  createSession(metadata: SessionMetadataInput): Promise<void>;
  /** Null when the session does not exist. */
  getSession(sessionId: string): Promise<SessionMetadata | null>;
  /** @throws SessionNotFoundError */
  updateSession(sessionId: string, patch: SessionMetadataPatch): Promise<SessionMetadata>;
  /** Deletes metadata and files; false when there was nothing to delete. */
  deleteSession(sessionId: string): Promise<boolean>;
  listSessions(): Promise<SessionMetadata[]>;
  /** Every file and directory, recursively, sorted by path. Internal files included. */
  listFiles(sessionId: string): Promise<WorkspaceEntry[]>;
  /** Metadata and listing of one version, read atomically. @throws SessionNotFoundError */
  snapshot(sessionId: string): Promise<SessionSnapshot>;
  /** @throws FileNotFoundError */
  readFile(sessionId: string, path: string): Promise<Uint8Array>;
  /** Creates parent directories as needed; one commit at the current version. */
  writeFile(sessionId: string, path: string, data: Uint8Array): Promise<void>;
  /** Deletes a file or a directory tree (one commit); false when it did not exist. */
  deletePath(sessionId: string, path: string): Promise<boolean>;
  /**
   * Applies a plan (see `planCommit`) atomically: files, sizes, `version + 1`,
   * `updatedAt`, `executionCount + executions` and the record, in one durable step.
   * @throws StorageConflictError (version moved on), StorageQuotaError, InvalidPathError,
   *   SessionNotFoundError — nothing is written in any of these cases.
   */
  commit(sessionId: string, plan: CommitPlan, options: CommitOptions): Promise<CommitResult>;
  /** The record a commit stored under `key`, or null (never stored, or dropped as older than the latest RECORDS_KEPT). */
  readRecord(sessionId: string, key: string): Promise<Uint8Array | null>;
  /** Bytes held by the session's files. */
  sizeOf(sessionId: string): Promise<number>;
  /**
   * Removes what crashes left behind in a session (unreferenced objects, temp
   * files) — only what no version can ever reference again, so it is safe while
   * other processes commit. Returns how many objects or files it removed.
   * `pruneSessions` calls it for every session it keeps. Optional.
   */
  collectGarbage?(sessionId: string): Promise<number>;
  /**
   * Holds an exclusive lock on the session across processes until the returned
   * release function is called (renewing it meanwhile where it is a lease). It
   * avoids conflicts; commits stay conditional either way. Optional.
   */
  lock?(sessionId: string, options?: { timeoutMs?: number }): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Creates a storage adapter from its options (unstorage-style driver factory). */
export type StorageFactory<Options> = (options: Options) => StorageAdapter;
