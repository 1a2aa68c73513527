import type { SessionMetadata } from "./session.js";

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
}

/** Fields a caller may change on a session's metadata. */
export type SessionMetadataPatch = Partial<Pick<SessionMetadata, "runtime" | "autoPersistGlobals" | "updatedAt" | "executionCount">>;

/**
 * Where sessions live. Every method takes canonical session ids and canonical
 * relative paths (see `canonicalSessionId`, `canonicalWorkspacePath`); adapters
 * still re-check them, since they are a security boundary of their own.
 *
 * `commit` is all-or-nothing: after a crash a reader sees the state before or
 * after the commit, never a mix. Concurrent commits to one session from
 * different processes are serialized (lock) or detected (StorageConflictError).
 */
export interface StorageAdapter {
  /** Short name used in messages and logs: "memory", "disk", "s3". */
  readonly kind: string;
  /** @throws SessionExistsError */
  createSession(metadata: SessionMetadata): Promise<void>;
  /** Null when the session does not exist. */
  getSession(sessionId: string): Promise<SessionMetadata | null>;
  /** @throws SessionNotFoundError */
  updateSession(sessionId: string, patch: SessionMetadataPatch): Promise<SessionMetadata>;
  /** Deletes metadata and files; false when there was nothing to delete. */
  deleteSession(sessionId: string): Promise<boolean>;
  listSessions(): Promise<SessionMetadata[]>;
  /** Every file and directory, recursively, sorted by path. Internal files included. */
  listFiles(sessionId: string): Promise<WorkspaceEntry[]>;
  /** @throws FileNotFoundError */
  readFile(sessionId: string, path: string): Promise<Uint8Array>;
  /** Creates parent directories as needed; atomic per file. */
  writeFile(sessionId: string, path: string, data: Uint8Array): Promise<void>;
  /** Deletes a file or a directory tree; false when it did not exist. */
  deletePath(sessionId: string, path: string): Promise<boolean>;
  /** Applies one execution's journal atomically and refreshes size metadata. */
  commit(sessionId: string, journal: Journal): Promise<CommitResult>;
  /** Bytes held by the session's files. */
  sizeOf(sessionId: string): Promise<number>;
  /**
   * Holds an exclusive lock on the session across processes until the returned
   * release function is called. Adapters that detect conflicts at commit time
   * instead may omit it.
   */
  lock?(sessionId: string, options?: { timeoutMs?: number }): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Creates a storage adapter from its options (unstorage-style driver factory). */
export type StorageFactory<Options> = (options: Options) => StorageAdapter;
