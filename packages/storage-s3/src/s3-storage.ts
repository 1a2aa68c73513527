import { randomBytes } from "node:crypto";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import {
  canonicalSessionId,
  canonicalWorkspacePath,
  type CommitResult,
  FileNotFoundError,
  InvalidPathError,
  type Journal,
  KeyedMutex,
  parseOrThrow,
  planCommit,
  SessionExistsError,
  SessionMetadataSchema,
  SessionNotFoundError,
  type StorageAdapter,
  StorageConflictError,
  StorageError,
} from "@llm-wasm-sandbox/core";
import { acquireS3Lock } from "./s3-lock.js";
import { PreconditionFailed, S3Objects } from "./s3-objects.js";
import { decodeDocument, encodeDocument, listingOf, type ManifestEntry, type SessionDocument } from "./session-document.js";

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
   * Before the first write, check once that the endpoint honours conditional
   * writes (If-None-Match), refusing with StorageError if it does not — without
   * them two writers could silently overwrite each other. Default true.
   */
  readonly verifyConditionalWrites?: boolean;
  /** Lease of the cross-host lock taken by `lock()`; a lock older than this is taken over (default 5 min). */
  readonly lockLeaseMs?: number;
  /** How long `lock()` waits by default (default 30 s). */
  readonly lockTimeoutMs?: number;
}

/** The S3 adapter: a StorageAdapter you can `await using` (closing destroys a client it created). */
export interface S3Storage extends StorageAdapter, AsyncDisposable {}

/** Objects written concurrently during a commit. */
const UPLOAD_CONCURRENCY = 8;
/** A blob can vanish under a reader when a newer commit garbage-collects it; re-read the manifest this often. */
const READ_RETRIES = 3;
/** updateSession re-applies its patch when only metadata raced it. */
const UPDATE_RETRIES = 8;

/**
 * Sessions in an S3 bucket (AWS S3 or any S3-compatible store that honours
 * conditional writes). Layout under `<prefix>/`:
 *
 * ```text
 * <sessionId>/session.json               metadata + generation + manifest (path → tag)
 * <sessionId>/files/<tag>/<path>         one immutable object per file version
 * .locks/<sessionId>.json                lease of the cross-host lock (`lock()`)
 * ```
 *
 * Commit protocol: read session.json (ETag E, generation g) → plan the journal
 * against its manifest (invalid journal: nothing written) → upload every written
 * file under a fresh tag `<g+1>-<random>` → PUT session.json with generation g+1
 * and the new manifest, `If-Match: E`. That PUT is the commit point: before it
 * readers see generation g whole, after it g+1 whole. On 412 the document is
 * re-read: if only metadata changed (same generation) the commit is retried,
 * otherwise another host committed and StorageConflictError is thrown (the
 * uploaded objects are deleted). A crash before the PUT leaves only unreferenced
 * objects; after it, superseded objects are deleted best-effort. Readers resolve
 * paths through the manifest and re-read it if a superseded object is already gone.
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
  const mutex = new KeyedMutex();
  let verified: Promise<void> | undefined;

  const verifyConditionalWrites = (): Promise<void> => {
    if (options.verifyConditionalWrites === false) return Promise.resolve();
    verified ??= probeConditionalWrites(objects, `${root}.probe/${randomBytes(8).toString("hex")}`).catch((e: unknown) => {
      verified = undefined;
      throw e;
    });
    return verified;
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

  const commit = async (sessionId: string, journal: Journal, seen?: (doc: SessionDocument) => void): Promise<CommitResult> => {
    const id = canonicalSessionId(sessionId);
    await verifyConditionalWrites();
    // In-process serialization avoids needless conflicts between our own commits.
    return mutex.run(id, async () => {
      let { doc, etag } = await mustLoad(id);
      seen?.(doc);
      const plan = planCommit(listingOf(doc), journal);
      const tag = `${doc.generation + 1}-${randomBytes(6).toString("hex")}`;
      for (const path of plan.writes.keys()) {
        if (new TextEncoder().encode(blobKey(id, tag, path)).byteLength > 1024) throw new InvalidPathError(path, "too long for an S3 object key with this prefix");
      }
      const uploaded = [...plan.writes.keys()].map((p) => blobKey(id, tag, p));
      await forEachLimited([...plan.writes], UPLOAD_CONCURRENCY, ([path, data]) => objects.put(blobKey(id, tag, path), data));
      const now = Date.now();
      const entries: Record<string, ManifestEntry> = {};
      for (const [path, node] of plan.after) {
        const old = doc.entries[path];
        if (plan.writes.has(path)) entries[path] = { type: "file", size: node.size, mtimeMs: now, tag };
        else if (old && old.type === node.type) entries[path] = old;
        else entries[path] = { type: "directory", mtimeMs: now };
      }
      for (let attempt = 0; ; attempt++) {
        const next: SessionDocument = {
          format: 1,
          incarnation: doc.incarnation,
          generation: doc.generation + 1,
          metadata: { ...doc.metadata, sizeBytes: plan.sizeBytes, fileCount: plan.fileCount, updatedAt: new Date(now).toISOString() },
          entries,
        };
        try {
          await objects.put(docKey(id), encodeDocument(next), { ifMatch: etag });
          break;
        } catch (e) {
          if (!(e instanceof PreconditionFailed)) throw e;
          const current = await load(id);
          if (current && current.doc.incarnation === doc.incarnation && current.doc.generation === doc.generation && attempt < UPDATE_RETRIES) {
            // Only metadata changed (updateSession elsewhere): the files we planned against are intact.
            ({ doc, etag } = current);
            continue;
          }
          await objects.deleteMany(uploaded).catch(() => undefined);
          if (!current || current.doc.incarnation !== doc.incarnation) throw new SessionNotFoundError(id);
          throw new StorageConflictError(id, `generation ${doc.generation} became ${current.doc.generation} during the commit`, { cause: e });
        }
      }
      await collectGarbage(objects, doc, entries, (path, t) => blobKey(id, t, path));
      return { created: plan.created, modified: plan.modified, deleted: plan.deleted };
    });
  };

  return {
    kind: "s3",

    async createSession(metadata) {
      const meta = parseOrThrow(SessionMetadataSchema, metadata, "session metadata");
      const id = canonicalSessionId(meta.sessionId);
      await verifyConditionalWrites();
      const doc: SessionDocument = { format: 1, incarnation: randomBytes(8).toString("hex"), generation: 0, metadata: { ...meta, sizeBytes: 0, fileCount: 0 }, entries: {} };
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
      await verifyConditionalWrites();
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      return mutex.run(id, async () => {
        for (let attempt = 0; ; attempt++) {
          const { doc, etag } = await mustLoad(id);
          const metadata = parseOrThrow(SessionMetadataSchema, { ...doc.metadata, ...defined }, "session metadata patch");
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
        try {
          const found = await load(canonicalSessionId(name));
          if (found) out.push(found.doc.metadata);
        } catch {
          // Not a session (a lock or probe folder, or foreign objects): not listed.
        }
      }
      return out.sort((a, b) => a.sessionId.localeCompare(b.sessionId));
    },

    async listFiles(sessionId) {
      return listingOf((await mustLoad(canonicalSessionId(sessionId))).doc);
    },

    async readFile(sessionId, path) {
      const id = canonicalSessionId(sessionId);
      const rel = canonicalWorkspacePath(path);
      for (let attempt = 0; ; attempt++) {
        const { doc } = await mustLoad(id);
        const entry = doc.entries[rel];
        if (!entry || entry.type !== "file") throw new FileNotFoundError(id, rel);
        const obj = await objects.get(blobKey(id, entry.tag, rel));
        if (obj) return obj.body;
        if (attempt >= READ_RETRIES) throw new StorageError("s3", `object for "${rel}" (tag ${entry.tag}) is missing in session "${id}"`);
      }
    },

    async writeFile(sessionId, path, data) {
      await commit(sessionId, { entries: [{ op: "write", path: canonicalWorkspacePath(path), data }] });
    },

    async deletePath(sessionId, path) {
      const rel = canonicalWorkspacePath(path);
      let existed = false;
      await commit(sessionId, { entries: [{ op: "delete", path: rel }] }, (doc) => {
        existed = rel in doc.entries;
      });
      return existed;
    },

    commit: (sessionId, journal) => commit(sessionId, journal),

    async sizeOf(sessionId) {
      return (await mustLoad(canonicalSessionId(sessionId))).doc.metadata.sizeBytes;
    },

    async lock(sessionId, lockOptions) {
      const id = canonicalSessionId(sessionId);
      await verifyConditionalWrites();
      return acquireS3Lock(objects, `${root}.locks/${id}.json`, id, {
        timeoutMs: lockOptions?.timeoutMs ?? options.lockTimeoutMs ?? 30_000,
        leaseMs: options.lockLeaseMs ?? 300_000,
      });
    },

    async close() {
      objects.close();
    },

    async [Symbol.asyncDispose]() {
      objects.close();
    },
  };
}

/** Writes an object twice with If-None-Match: *; the second must be refused. */
async function probeConditionalWrites(objects: S3Objects, key: string): Promise<void> {
  const body = new TextEncoder().encode("probe");
  await objects.put(key, body, { ifNoneMatch: "*" });
  try {
    await objects.put(key, body, { ifNoneMatch: "*" });
  } catch (e) {
    if (e instanceof PreconditionFailed) return;
    throw e;
  } finally {
    await objects.delete(key).catch(() => undefined);
  }
  throw new StorageError(
    "s3",
    `bucket "${objects.bucket}": the endpoint ignores conditional writes (If-None-Match), so concurrent writers could overwrite each other — ` +
      "use a store that supports them (AWS S3, MinIO, Cloudflare R2…) or pass verifyConditionalWrites: false to accept last-writer-wins",
  );
}

/** Deletes objects the old manifest referenced and the new one does not. Best-effort: leftovers are only garbage. */
async function collectGarbage(objects: S3Objects, old: SessionDocument, now: Record<string, ManifestEntry>, keyOf: (path: string, tag: string) => string): Promise<void> {
  const stale: string[] = [];
  for (const [path, e] of Object.entries(old.entries)) {
    if (e.type !== "file") continue;
    const cur = now[path];
    if (!cur || cur.type !== "file" || cur.tag !== e.tag) stale.push(keyOf(path, e.tag));
  }
  if (stale.length > 0) await objects.deleteMany(stale).catch(() => undefined);
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
