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
  FileNotFoundError,
  type Journal,
  parseOrThrow,
  planCommit,
  keptRecords,
  removedBy,
  SessionExistsError,
  type SessionMetadata,
  type SessionMetadataPatch,
  SessionMetadataSchema,
  SessionNotFoundError,
  type SessionSnapshot,
  type StorageAdapter,
  StorageQuotaError,
  tightestQuota,
  type WorkspaceEntry,
} from "@llm-wasm-sandbox/core";

/** Options of `memoryStorage`. */
export interface MemoryStorageOptions {
  /**
   * Most bytes of file data the adapter holds across all sessions. A write or
   * commit that would exceed it fails with StorageQuotaError and changes nothing.
   * Unlimited when omitted.
   */
  readonly quotaBytes?: number;
  /** Most bytes of file data one session may hold (besides the policy's own limit). Unlimited when omitted. */
  readonly maxSessionBytes?: number;
  /** Most files one session may hold (besides the policy's own limit). Unlimited when omitted. */
  readonly maxSessionFiles?: number;
}

/** The memory adapter: a StorageAdapter you can `await using`. */
export interface MemoryStorage extends StorageAdapter, AsyncDisposable {}

interface Node {
  readonly type: "file" | "directory";
  readonly data: Uint8Array;
  readonly mtimeMs: number;
}

interface Session {
  meta: SessionMetadata;
  tree: Map<string, Node>;
  /** Records by key, oldest first (Map order; a re-stored key moves to the end), with when each was stored; see keptRecords. */
  records: Map<string, { data: Uint8Array; at: number }>;
}

const EMPTY = new Uint8Array(0);

/**
 * Sessions kept in this process's memory: fast, for tests, short-lived agents and
 * serverless functions. Everything is lost when the process exits. Each method
 * copies data in and out, so callers can never alias stored bytes.
 *
 * ```ts
 * const storage = memoryStorage({ quotaBytes: 64 * 1024 * 1024 });
 * ```
 */
export function memoryStorage(options: MemoryStorageOptions = {}): MemoryStorage {
  const sessions = new Map<string, Session>();
  const quota = options.quotaBytes;
  const sessionQuota = { maxBytes: options.maxSessionBytes, maxFiles: options.maxSessionFiles };

  const get = (sessionId: string): Session => {
    const id = canonicalSessionId(sessionId);
    const s = sessions.get(id);
    if (!s) throw new SessionNotFoundError(id);
    return s;
  };

  const apply = (sessionId: string, plan: CommitPlan, commitOptions: CommitOptions): CommitResult => {
    checkCommitOptions(commitOptions);
    const id = canonicalSessionId(sessionId);
    const s = get(id);
    checkExpectedVersion(id, s.meta.version, commitOptions);
    checkPlanPaths(plan);
    checkSessionQuota(id, s.meta, plan, tightestQuota(sessionQuota, commitOptions.quota));
    if (quota !== undefined) {
      const total = totalBytes(sessions) - s.meta.sizeBytes + plan.sizeBytes;
      if (total > quota && plan.sizeBytes > s.meta.sizeBytes) throw new StorageQuotaError(quota, total, { setting: "memoryStorage's quotaBytes" });
    }
    // The plan is valid and fits: build the new tree, then swap it in one step.
    const now = Date.now();
    const removed = removedBy(plan);
    const tree = new Map<string, Node>();
    for (const [path, node] of s.tree) if (!removed(path)) tree.set(path, node);
    for (const dir of plan.mkdirs) tree.set(dir, { type: "directory", data: EMPTY, mtimeMs: now });
    for (const w of plan.writes) tree.set(w.path, { type: "file", data: w.data.slice(), mtimeMs: now });
    s.tree = tree;
    if (commitOptions.record) {
      s.records.delete(commitOptions.record.key);
      s.records.set(commitOptions.record.key, { data: commitOptions.record.data.slice(), at: now });
      const kept = new Set(keptRecords([...s.records].map(([key, r]) => ({ key, at: r.at })), now).map((r) => r.key));
      for (const key of s.records.keys()) if (!kept.has(key)) s.records.delete(key);
    }
    s.meta = {
      ...s.meta,
      sizeBytes: plan.sizeBytes,
      fileCount: plan.fileCount,
      updatedAt: new Date(now).toISOString(),
      executionCount: s.meta.executionCount + (commitOptions.executions ?? 0),
      version: s.meta.version + 1,
    };
    return { created: plan.created, modified: plan.modified, deleted: plan.deleted, version: s.meta.version };
  };

  /** Host-side writes: planned and committed against the current version in one synchronous step. */
  const applyJournal = (sessionId: string, journal: Journal): CommitResult => {
    const s = get(sessionId);
    return apply(sessionId, planCommit(listing(s.tree), journal), { expectedVersion: s.meta.version });
  };

  return {
    kind: "memory",
    async createSession(metadata) {
      const meta = parseOrThrow(SessionMetadataSchema, metadata, "session metadata");
      const id = canonicalSessionId(meta.sessionId);
      if (sessions.has(id)) throw new SessionExistsError(id);
      sessions.set(id, { meta: { ...meta, sizeBytes: 0, fileCount: 0, version: 0 }, tree: new Map(), records: new Map() });
    },
    async getSession(sessionId) {
      const s = sessions.get(canonicalSessionId(sessionId));
      return s ? { ...s.meta } : null;
    },
    async updateSession(sessionId: string, patch: SessionMetadataPatch) {
      const s = get(sessionId);
      s.meta = parseOrThrow(SessionMetadataSchema, { ...s.meta, ...definedOnly(patch), version: s.meta.version }, "session metadata patch");
      return { ...s.meta };
    },
    async deleteSession(sessionId) {
      return sessions.delete(canonicalSessionId(sessionId));
    },
    async listSessions() {
      return [...sessions.values()].map((s) => ({ ...s.meta })).sort((a, b) => a.sessionId.localeCompare(b.sessionId));
    },
    async listFiles(sessionId) {
      return listing(get(sessionId).tree);
    },
    async snapshot(sessionId): Promise<SessionSnapshot> {
      const s = get(sessionId);
      // The tree is replaced, never mutated, by a commit: holding it pins this version.
      const tree = s.tree;
      return { metadata: { ...s.meta }, entries: listing(tree), read: async (path) => readNode(tree, s.meta.sessionId, path) };
    },
    async readFile(sessionId, path) {
      return readNode(get(sessionId).tree, canonicalSessionId(sessionId), path);
    },
    async writeFile(sessionId, path, data) {
      applyJournal(sessionId, { entries: [{ op: "write", path: canonicalWorkspacePath(path), data }] });
    },
    async deletePath(sessionId, path) {
      const p = canonicalWorkspacePath(path);
      const s = get(sessionId);
      if (!s.tree.has(p)) return false;
      applyJournal(sessionId, { entries: [{ op: "delete", path: p }] });
      return true;
    },
    async commit(sessionId, plan, commitOptions) {
      return apply(sessionId, plan, commitOptions);
    },
    async readRecord(sessionId, key) {
      checkRecordKey(key);
      const data = get(sessionId).records.get(key)?.data;
      return data ? data.slice() : null;
    },
    async sizeOf(sessionId) {
      return get(sessionId).meta.sizeBytes;
    },
    async close() {},
    async [Symbol.asyncDispose]() {},
  };
}

function readNode(tree: ReadonlyMap<string, Node>, sessionId: string, path: string): Uint8Array {
  const p = canonicalWorkspacePath(path);
  const node = tree.get(p);
  if (!node || node.type !== "file") throw new FileNotFoundError(sessionId, p);
  return node.data.slice();
}

function listing(tree: ReadonlyMap<string, Node>): WorkspaceEntry[] {
  return [...tree]
    .map(([path, n]) => ({ path, type: n.type, size: n.type === "file" ? n.data.byteLength : 0, mtimeMs: n.mtimeMs }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function totalBytes(sessions: ReadonlyMap<string, Session>): number {
  let n = 0;
  for (const s of sessions.values()) n += s.meta.sizeBytes;
  return n;
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
