import { randomBytes } from "node:crypto";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import {
  canonicalSessionId,
  canonicalWorkspacePath,
  checkCommitOptions,
  checkRecordKey,
  type CommitResult,
  FileNotFoundError,
  type Journal,
  KeyedMutex,
  parseOrThrow,
  planCommit,
  SessionExistsError,
  SessionMetadataSchema,
  SessionNotFoundError,
  type SessionSnapshot,
  type StorageAdapter,
  StorageConflictError,
  StorageError,
} from "@llm-wasm-sandbox/core";
import { commitDocument, type CommitContext, recordHash } from "./s3-commit.js";
import { collectSessionGarbage, type GarbageOptions } from "./s3-gc.js";
import { acquireS3Lock } from "./s3-lock.js";
import { PreconditionFailed, S3Objects } from "./s3-objects.js";
import { type S3Capabilities, probeConditionalWrites } from "./s3-probe.js";
import { decodeDocument, encodeDocument, listingOf, type SessionDocument } from "./session-document.js";

/** Options of `s3Storage`. */
export interface S3StorageOptions {
  /** Bucket holding the sessions (must exist). */
  readonly bucket: string;
  /** Key prefix for every object, e.g. "sandbox/sessions" (default: the bucket root). */
  readonly prefix?: string;
  /** A ready S3 client (its owner destroys it). Wins over `clientConfig`. */
  readonly client?: S3Client;
  /** Config for a client the adapter creates and destroys on `close()`: endpoint, region, credentials, forcePathStyle… */
  readonly clientConfig?: S3ClientConfig;
  /**
   * Before the first write, check once that the endpoint honours the conditional
   * writes the commit protocol relies on (see the README), refusing with
   * StorageError if it does not — without them two writers could silently
   * overwrite each other. Default true.
   */
  readonly verifyConditionalWrites?: boolean;
  /**
   * Lease of the cross-host lock taken by `lock()`: renewed every third of it while
   * held, taken over once it lapsed (at once when its holder is a dead process on
   * the same host). Default 20 s.
   */
  readonly lockLeaseMs?: number;
  /** How long `lock()` waits by default (default 30 s). */
  readonly lockTimeoutMs?: number;
  /** Most bytes of file data one session may hold (besides the policy's own limit). Unlimited when omitted. */
  readonly maxSessionBytes?: number;
  /** Most files one session may hold (besides the policy's own limit). Unlimited when omitted. */
  readonly maxSessionFiles?: number;
}

/** The S3 adapter: a StorageAdapter you can `await using` (closing destroys a client it created). */
export interface S3Storage extends StorageAdapter, AsyncDisposable {
  /** What the probe found the endpoint honours (runs the probe if it has not run yet). */
  capabilities(): Promise<S3Capabilities>;
  /** Cross-host lock on a session (a renewed lease; see the README): always present on S3 storage. */
  lock(sessionId: string, options?: { timeoutMs?: number }): Promise<() => Promise<void>>;
  /** See StorageAdapter.collectGarbage; `minAgeMs` protects uploads of commits that may still be in flight (default 1 h). */
  collectGarbage(sessionId: string, options?: GarbageOptions): Promise<number>;
}

/** A blob can vanish under a reader when a newer commit garbage-collects it; re-read the manifest this often. */
const READ_RETRIES = 3;
/** updateSession re-applies its patch when only metadata raced it. */
const UPDATE_RETRIES = 8;
/** Capabilities assumed with `verifyConditionalWrites: false`. */
const UNVERIFIED: S3Capabilities = { etagForm: "quoted", conditionalDelete: false };

/**
 * Sessions in an S3 bucket (AWS S3 or any S3-compatible store that honours
 * conditional writes: MinIO, Ceph RGW, R2…). Layout under `<prefix>/`:
 *
 * ```text
 * <sessionId>/session.json               metadata + generation + manifest (path → tag) + records + recent commit tags
 * <sessionId>/files/<tag>/<path>         one immutable object per file version
 * <sessionId>/records/<tag>/<hash>       records stored with commits (idempotency)
 * .locks/<sessionId>.json                lease of the cross-host lock (`lock()`)
 * .probe/<random>                        scratch objects of the capability probe
 * ```
 *
 * Session ids never contain "/" nor start with ".", so every key is derived
 * injectively from (session id, purpose). The commit protocol is in s3-commit.ts.
 *
 * ```ts
 * const storage = s3Storage({ bucket: "my-bucket", prefix: "sandbox", clientConfig: { region: "eu-west-1" } });
 * ```
 */
export function s3Storage(options: S3StorageOptions): S3Storage {
  if (typeof options?.bucket !== "string" || options.bucket.length === 0) {
    throw new StorageError("s3", "no bucket given — pass s3Storage({ bucket: \"name\" })");
  }
  const objects = new S3Objects(options.bucket, { client: options.client, clientConfig: options.clientConfig });
  const base = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
  const root = base ? `${base}/` : "";
  const docKey = (id: string): string => `${root}${id}/session.json`;
  const blobKey = (id: string, tag: string, path: string): string => `${root}${id}/files/${tag}/${path}`;
  const recordKey = (id: string, tag: string, hash: string): string => `${root}${id}/records/${tag}/${hash}`;
  const mutex = new KeyedMutex();
  const renewals = new Set<() => void>();
  const close = async (): Promise<void> => {
    for (const stop of renewals) stop();
    renewals.clear();
    objects.close();
  };
  let probed: Promise<S3Capabilities> | undefined;

  const capabilities = (): Promise<S3Capabilities> => {
    if (options.verifyConditionalWrites === false) return Promise.resolve(UNVERIFIED);
    probed ??= probeConditionalWrites(objects, `${root}.probe/`).catch((e: unknown) => {
      probed = undefined;
      throw e;
    });
    return probed;
  };

  const load = async (id: string): Promise<{ doc: SessionDocument; etag: string } | null> => {
    const obj = await objects.get(docKey(id));
    if (!obj) return null;
    const doc = decodeDocument(obj.body);
    if (!doc) throw new StorageError("s3", `${docKey(id)} is not a session document — delete it or use another prefix`);
    return { doc, etag: obj.etag };
  };

  const mustLoad = async (id: string): Promise<{ doc: SessionDocument; etag: string }> => {
    const found = await load(id);
    if (!found) throw new SessionNotFoundError(id);
    return found;
  };

  const ctx: CommitContext = { objects, docKey, blobKey, recordKey, load, quota: { maxBytes: options.maxSessionBytes, maxFiles: options.maxSessionFiles } };

  /** Host-side writes: planned against the current manifest and committed at its generation. */
  const commitJournal = async (sessionId: string, journal: Journal, seen?: (doc: SessionDocument) => void): Promise<CommitResult> => {
    const id = canonicalSessionId(sessionId);
    await capabilities();
    // In-process serialization avoids needless conflicts between our own commits.
    return mutex.run(id, async () => {
      const start = await mustLoad(id);
      seen?.(start.doc);
      return commitDocument(ctx, id, start, planCommit(listingOf(start.doc), journal), null);
    });
  };

  /** A file of `doc`; null when its object is gone (superseded and collected by a newer commit). */
  const readBlob = async (id: string, doc: SessionDocument, rel: string): Promise<Uint8Array | null> => {
    const entry = doc.entries.get(rel);
    if (!entry || entry.type !== "file") throw new FileNotFoundError(id, rel);
    return (await objects.get(blobKey(id, entry.tag, rel)))?.body ?? null;
  };

  return {
    kind: "s3",
    capabilities,

    async createSession(metadata) {
      const meta = parseOrThrow(SessionMetadataSchema, metadata, "session metadata");
      const id = canonicalSessionId(meta.sessionId);
      await capabilities();
      const doc: SessionDocument = {
        format: 1,
        incarnation: randomBytes(8).toString("hex"),
        generation: 0,
        metadata: { ...meta, sizeBytes: 0, fileCount: 0, version: 0 },
        entries: new Map(),
        recent: [],
        records: [],
      };
      try {
        await objects.put(docKey(id), encodeDocument(doc), { ifNoneMatch: "*" });
      } catch (e) {
        if (e instanceof PreconditionFailed) throw new SessionExistsError(id);
        throw e;
      }
    },

    async getSession(sessionId) {
      const found = await load(canonicalSessionId(sessionId));
      return found ? found.doc.metadata : null;
    },

    async updateSession(sessionId, patch) {
      const id = canonicalSessionId(sessionId);
      await capabilities();
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      return mutex.run(id, async () => {
        for (let attempt = 0; ; attempt++) {
          const { doc, etag } = await mustLoad(id);
          // A metadata update never moves the version: plans computed against it stay valid.
          const metadata = parseOrThrow(SessionMetadataSchema, { ...doc.metadata, ...defined, version: doc.generation }, "session metadata patch");
          try {
            await objects.put(docKey(id), encodeDocument({ ...doc, metadata }), { ifMatch: etag });
            return metadata;
          } catch (e) {
            if (!(e instanceof PreconditionFailed) || attempt >= UPDATE_RETRIES) {
              throw e instanceof PreconditionFailed ? new StorageConflictError(id, "metadata kept changing", { cause: e }) : e;
            }
          }
        }
      });
    },

    async deleteSession(sessionId) {
      const id = canonicalSessionId(sessionId);
      return mutex.run(id, async () => {
        const existed = (await objects.get(docKey(id))) !== null;
        // The document goes first: from then on the session does not exist, and
        // any commit racing us fails its If-Match.
        await objects.delete(docKey(id));
        await objects.deleteMany(await objects.listKeys(`${root}${id}/`));
        return existed;
      });
    },

    async listSessions() {
      const out = [];
      for (const prefix of await objects.listPrefixes(root)) {
        const name = prefix.slice(root.length, -1);
        let id: string;
        try {
          id = canonicalSessionId(name);
        } catch {
          continue; // a lock or probe folder, or foreign objects
        }
        try {
          const found = await load(id);
          if (found) out.push(found.doc.metadata);
        } catch (e) {
          // Listed as damaged, so that pruning can remove it instead of it staying hidden forever.
          const [doc] = await objects.listObjects(docKey(id));
          const at = new Date(doc?.lastModified ?? 0).toISOString();
          const damaged = e instanceof Error ? e.message : String(e);
          out.push({ sessionId: id, runtime: "unknown", createdAt: at, updatedAt: at, autoPersistGlobals: false, sizeBytes: 0, fileCount: 0, executionCount: 0, version: 0, damaged });
        }
      }
      return out.sort((a, b) => a.sessionId.localeCompare(b.sessionId));
    },

    async listFiles(sessionId) {
      return listingOf((await mustLoad(canonicalSessionId(sessionId))).doc);
    },

    async snapshot(sessionId): Promise<SessionSnapshot> {
      const id = canonicalSessionId(sessionId);
      const { doc } = await mustLoad(id);
      return {
        metadata: doc.metadata,
        entries: listingOf(doc),
        read: async (path) => {
          const data = await readBlob(id, doc, canonicalWorkspacePath(path));
          if (data) return data;
          throw new StorageConflictError(id, `version ${doc.generation} was superseded and its copy of "${path}" collected while the run read it`);
        },
      };
    },

    async readFile(sessionId, path) {
      const id = canonicalSessionId(sessionId);
      const rel = canonicalWorkspacePath(path);
      for (let attempt = 0; ; attempt++) {
        const { doc } = await mustLoad(id);
        const data = await readBlob(id, doc, rel);
        if (data) return data;
        if (attempt >= READ_RETRIES) throw new StorageError("s3", `object for "${rel}" is missing in session "${id}"`);
      }
    },

    async writeFile(sessionId, path, data) {
      await commitJournal(sessionId, { entries: [{ op: "write", path: canonicalWorkspacePath(path), data }] });
    },

    async deletePath(sessionId, path) {
      const rel = canonicalWorkspacePath(path);
      let existed = false;
      await commitJournal(sessionId, { entries: [{ op: "delete", path: rel }] }, (doc) => {
        existed = doc.entries.has(rel);
      });
      return existed;
    },

    async commit(sessionId, plan, commitOptions) {
      checkCommitOptions(commitOptions);
      const id = canonicalSessionId(sessionId);
      await capabilities();
      return mutex.run(id, async () => commitDocument(ctx, id, await mustLoad(id), plan, commitOptions));
    },

    async readRecord(sessionId, key) {
      checkRecordKey(key);
      const id = canonicalSessionId(sessionId);
      const hash = recordHash(key);
      for (let attempt = 0; ; attempt++) {
        const { doc } = await mustLoad(id);
        const record = doc.records.find((r) => r.hash === hash);
        if (!record) return null;
        const obj = await objects.get(recordKey(id, record.tag, hash));
        if (obj) return obj.body;
        if (attempt >= READ_RETRIES) throw new StorageError("s3", `record object is missing in session "${id}"`);
      }
    },

    async sizeOf(sessionId) {
      return (await mustLoad(canonicalSessionId(sessionId))).doc.metadata.sizeBytes;
    },

    async collectGarbage(sessionId, gcOptions?: GarbageOptions) {
      const id = canonicalSessionId(sessionId);
      // The document is read before the listing: see collectSessionGarbage for why that order is safe.
      const { doc } = await mustLoad(id);
      return collectSessionGarbage(objects, doc, { files: `${root}${id}/files/`, records: `${root}${id}/records/` }, gcOptions);
    },

    async lock(sessionId, lockOptions) {
      const id = canonicalSessionId(sessionId);
      const caps = await capabilities();
      return acquireS3Lock(objects, `${root}.locks/${id}.json`, id, {
        timeoutMs: lockOptions?.timeoutMs ?? options.lockTimeoutMs ?? 30_000,
        leaseMs: options.lockLeaseMs ?? 20_000,
        conditionalDelete: caps.conditionalDelete,
        renewals,
      });
    },

    close,
    [Symbol.asyncDispose]: close,
  };
}
