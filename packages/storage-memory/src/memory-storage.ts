import {
  canonicalSessionId,
  canonicalWorkspacePath,
  type CommitResult,
  FileNotFoundError,
  type Journal,
  parseOrThrow,
  planCommit,
  SessionExistsError,
  type SessionMetadata,
  type SessionMetadataPatch,
  SessionMetadataSchema,
  SessionNotFoundError,
  type StorageAdapter,
  StorageQuotaError,
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

  const get = (sessionId: string): Session => {
    const s = sessions.get(canonicalSessionId(sessionId));
    if (!s) throw new SessionNotFoundError(sessionId);
    return s;
  };

  const apply = (sessionId: string, journal: Journal): CommitResult => {
    const s = get(sessionId);
    const plan = planCommit(listing(s.tree), journal);
    if (quota !== undefined) {
      const total = totalBytes(sessions) - s.meta.sizeBytes + plan.sizeBytes;
      if (total > quota) throw new StorageQuotaError(quota, total);
    }
    // The plan is valid and fits: build the new tree, then swap it in one step.
    const now = Date.now();
    const tree = new Map<string, Node>();
    for (const [path, node] of plan.after) {
      const written = plan.writes.get(path);
      if (written) tree.set(path, { type: "file", data: written.slice(), mtimeMs: now });
      else tree.set(path, s.tree.get(path) ?? { type: node.type, data: EMPTY, mtimeMs: now });
    }
    s.tree = tree;
    s.meta = { ...s.meta, sizeBytes: plan.sizeBytes, fileCount: plan.fileCount, updatedAt: new Date(now).toISOString() };
    return { created: plan.created, modified: plan.modified, deleted: plan.deleted };
  };

  return {
    kind: "memory",
    async createSession(metadata) {
      const meta = parseOrThrow(SessionMetadataSchema, metadata, "session metadata");
      const id = canonicalSessionId(meta.sessionId);
      if (sessions.has(id)) throw new SessionExistsError(id);
      sessions.set(id, { meta: { ...meta, sizeBytes: 0, fileCount: 0 }, tree: new Map() });
    },
    async getSession(sessionId) {
      const s = sessions.get(canonicalSessionId(sessionId));
      return s ? { ...s.meta } : null;
    },
    async updateSession(sessionId: string, patch: SessionMetadataPatch) {
      const s = get(sessionId);
      s.meta = parseOrThrow(SessionMetadataSchema, { ...s.meta, ...definedOnly(patch) }, "session metadata patch");
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
    async readFile(sessionId, path) {
      const s = get(sessionId);
      const p = canonicalWorkspacePath(path);
      const node = s.tree.get(p);
      if (!node || node.type !== "file") throw new FileNotFoundError(sessionId, p);
      return node.data.slice();
    },
    async writeFile(sessionId, path, data) {
      apply(sessionId, { entries: [{ op: "write", path: canonicalWorkspacePath(path), data }] });
    },
    async deletePath(sessionId, path) {
      const p = canonicalWorkspacePath(path);
      const s = get(sessionId);
      if (!s.tree.has(p)) return false;
      apply(sessionId, { entries: [{ op: "delete", path: p }] });
      return true;
    },
    async commit(sessionId, journal) {
      return apply(sessionId, journal);
    },
    async sizeOf(sessionId) {
      return get(sessionId).meta.sizeBytes;
    },
    async close() {},
    async [Symbol.asyncDispose]() {},
  };
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
