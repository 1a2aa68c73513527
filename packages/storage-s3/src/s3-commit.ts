import { createHash, randomBytes } from "node:crypto";
import {
  checkExpectedVersion,
  checkPlanPaths,
  checkSessionQuota,
  type CommitOptions,
  type CommitPlan,
  type CommitResult,
  InvalidPathError,
  removedBy,
  keptRecords,
  SessionNotFoundError,
  type SessionQuota,
  StorageConflictError,
  StorageError,
  tightestQuota,
} from "@llm-wasm-sandbox/core";
import { PreconditionFailed, type S3Objects } from "./s3-objects.js";
import { encodeDocument, type ManifestEntry, RECENT_COMMITS, type SessionDocument } from "./session-document.js";

/*
 * One commit, step by step (see the README for the why):
 *
 *   1. The caller read session.json (ETag E, generation g). The plan must have been
 *      computed against generation g (`expectedVersion`), else StorageConflictError.
 *   2. Every written file (and the record) is uploaded under a fresh tag
 *      `<g+1>-<random>` — keys nobody else writes, so no conditions are needed.
 *   3. session.json is PUT with generation g+1, the new manifest, and the tag
 *      appended to `recent`, with If-Match: E. THAT PUT IS THE COMMIT POINT.
 *   4. If the PUT fails in any way — 412, a 500 from a racing server, a lost reply
 *      the SDK retried into a 412, a reset — the outcome is decided by reading the
 *      document again, never guessed:
 *        - our tag is in `recent`          → we committed (maybe superseded since);
 *        - same generation g, same session → not committed (yet): after a 412 only
 *          metadata changed, after a transport error the PUT may be lost or late;
 *          either way the metadata is merged and the PUT retried (bounded) — a
 *          late copy of an earlier attempt can no longer match;
 *        - a later generation without our tag (and within the `recent` window)
 *                                          → another writer won: StorageConflictError;
 *        - gone or re-created              → SessionNotFoundError;
 *        - unreadable, or beyond the window → StorageError "outcome unknown".
 *      Uploaded objects are deleted only when the document proves they are unused
 *      and no copy of our PUT can land any more; otherwise they are left to
 *      `collectGarbage`.
 *   5. After a commit, objects the new manifest no longer names are deleted
 *      (best-effort; `collectGarbage` finds what a crash left).
 */

/** How a commit reaches storage: the adapter's object store and key layout. */
export interface CommitContext {
  readonly objects: S3Objects;
  readonly docKey: (id: string) => string;
  readonly blobKey: (id: string, tag: string, path: string) => string;
  readonly recordKey: (id: string, tag: string, hash: string) => string;
  /** Re-reads the document (null when the session does not exist). */
  readonly load: (id: string) => Promise<{ doc: SessionDocument; etag: string } | null>;
  /** The adapter's own per-session limits. */
  readonly quota: SessionQuota;
}

/** Objects uploaded concurrently during a commit. */
const UPLOAD_CONCURRENCY = 8;
/** Re-reads of the document while deciding an ambiguous outcome. */
const DECIDE_RETRIES = 4;
/** PUTs of the document retried while it stays at the base generation (metadata races, transient failures). */
const PUT_RETRIES = 8;

/** SHA-256 of a record key: the object name of its record. */
export function recordHash(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Runs steps 1–5 for a document already read. Caller holds the in-process mutex of the session. */
export async function commitDocument(
  ctx: CommitContext,
  id: string,
  start: { doc: SessionDocument; etag: string },
  plan: CommitPlan,
  options: CommitOptions | null,
): Promise<CommitResult> {
  const doc = start.doc;
  let etag = start.etag;
  if (options) checkExpectedVersion(id, doc.generation, options);
  checkPlanPaths(plan);
  checkSessionQuota(id, doc.metadata, plan, tightestQuota(ctx.quota, options?.quota));
  const tag = `${doc.generation + 1}-${randomBytes(6).toString("hex")}`;
  for (const w of plan.writes) {
    if (new TextEncoder().encode(ctx.blobKey(id, tag, w.path)).byteLength > 1024) throw new InvalidPathError(w.path, "too long for an S3 object key with this prefix");
  }
  const uploaded = plan.writes.map((w) => ctx.blobKey(id, tag, w.path));
  const record = options?.record ? { hash: recordHash(options.record.key), data: options.record.data } : null;
  if (record) uploaded.push(ctx.recordKey(id, tag, record.hash));
  await forEachLimited(plan.writes, UPLOAD_CONCURRENCY, (w) => ctx.objects.put(ctx.blobKey(id, tag, w.path), w.data));
  if (record) await ctx.objects.put(ctx.recordKey(id, tag, record.hash), record.data);

  const entries = nextManifest(doc, plan, tag);
  const records = record ? keptRecords([...doc.records.filter((r) => r.hash !== record.hash), { hash: record.hash, tag, at: Date.now() }], Date.now()) : doc.records;
  const next = (base: SessionDocument): SessionDocument => ({
    ...base,
    generation: doc.generation + 1,
    metadata: {
      ...base.metadata,
      sizeBytes: plan.sizeBytes,
      fileCount: plan.fileCount,
      updatedAt: new Date().toISOString(),
      executionCount: base.metadata.executionCount + (options?.executions ?? 0),
      version: doc.generation + 1,
    },
    entries,
    recent: [...base.recent, tag].slice(-RECENT_COMMITS),
    records,
  });
  let attempt = doc;
  for (let tries = 0; ; tries++) {
    try {
      await ctx.objects.put(ctx.docKey(id), encodeDocument(next(attempt)), { ifMatch: etag });
      break;
    } catch (e) {
      const outcome = await decide(ctx, id, doc, tag, e);
      if (outcome.kind === "committed") break;
      if (outcome.kind === "unchanged" && tries < PUT_RETRIES) {
        // Nothing landed: only metadata changed (updateSession elsewhere), or the PUT failed in transit. The files we planned against are intact.
        ({ doc: attempt, etag } = outcome.current);
        if (!(e instanceof PreconditionFailed)) await sleep(50 * 2 ** Math.min(tries, 4));
        continue;
      }
      if (outcome.kind === "unchanged" && !(e instanceof PreconditionFailed)) {
        // A PUT of ours may still be in flight and land later: keep its objects (collectGarbage removes them once provably unused).
        throw new StorageError("s3", `commit of session "${id}" failed after ${tries + 1} attempts: ${String(e)} — nothing was committed yet; retry`, { cause: e });
      }
      if (outcome.kind === "unknown") throw outcome.error;
      // The document proves our objects unused, and no PUT of ours can land any more (its If-Match is stale).
      await ctx.objects.deleteMany(uploaded).catch(() => undefined);
      if (outcome.kind === "gone") throw new SessionNotFoundError(id);
      throw new StorageConflictError(id, outcome.kind === "unchanged" ? "its metadata kept changing" : `generation ${doc.generation} became ${outcome.generation} during the commit`, { cause: e });
    }
  }
  await collectSuperseded(ctx, id, doc, entries, records);
  return { created: plan.created, modified: plan.modified, deleted: plan.deleted, version: doc.generation + 1 };
}

type Outcome =
  | { kind: "committed" }
  | { kind: "unchanged"; current: { doc: SessionDocument; etag: string } }
  | { kind: "conflict"; generation: number }
  | { kind: "gone" }
  | { kind: "unknown"; error: StorageError };

/** Step 4: what happened to a PUT that failed, read from the document itself. */
async function decide(ctx: CommitContext, id: string, base: SessionDocument, tag: string, failure: unknown): Promise<Outcome> {
  let current: { doc: SessionDocument; etag: string } | null = null;
  for (let i = 0; ; i++) {
    try {
      current = await ctx.load(id);
      break;
    } catch (e) {
      if (i >= DECIDE_RETRIES) {
        return { kind: "unknown", error: new StorageError("s3", `commit of session "${id}" has an unknown outcome: the conditional PUT failed (${String(failure)}) and the document cannot be read back (${String(e)}) — retry; the next access tells`, { cause: e }) };
      }
      await sleep(50 * 2 ** i);
    }
  }
  if (!current || current.doc.incarnation !== base.incarnation) return { kind: "gone" };
  if (current.doc.recent.includes(tag)) return { kind: "committed" };
  // Still at the base generation: our PUT did not land (yet). With a 412, metadata changed meanwhile.
  if (current.doc.generation === base.generation) return { kind: "unchanged", current };
  if (current.doc.generation - base.generation > RECENT_COMMITS) {
    return { kind: "unknown", error: new StorageError("s3", `commit of session "${id}" has an unknown outcome: ${current.doc.generation - base.generation} commits happened meanwhile`, { cause: failure }) };
  }
  return { kind: "conflict", generation: current.doc.generation };
}

/** The manifest after the plan: the old one minus removals, plus mkdirs and writes. Linear in its size. */
function nextManifest(doc: SessionDocument, plan: CommitPlan, tag: string): Map<string, ManifestEntry> {
  const now = Date.now();
  const removed = removedBy(plan);
  const entries = new Map<string, ManifestEntry>();
  for (const [path, e] of doc.entries) if (!removed(path)) entries.set(path, e);
  for (const dir of plan.mkdirs) entries.set(dir, { type: "directory", mtimeMs: now });
  for (const w of plan.writes) entries.set(w.path, { type: "file", size: w.data.byteLength, mtimeMs: now, tag });
  return entries;
}

/** Deletes objects the old document named and the new one does not. Best-effort: leftovers are only garbage. */
async function collectSuperseded(ctx: CommitContext, id: string, old: SessionDocument, now: ReadonlyMap<string, ManifestEntry>, records: SessionDocument["records"]): Promise<void> {
  const stale: string[] = [];
  for (const [path, e] of old.entries) {
    if (e.type !== "file") continue;
    const cur = now.get(path);
    if (!cur || cur.type !== "file" || cur.tag !== e.tag) stale.push(ctx.blobKey(id, e.tag, path));
  }
  const kept = new Set(records.map((r) => `${r.tag}/${r.hash}`));
  for (const r of old.records) if (!kept.has(`${r.tag}/${r.hash}`)) stale.push(ctx.recordKey(id, r.tag, r.hash));
  if (stale.length > 0) await ctx.objects.deleteMany(stale).catch(() => undefined);
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { PreconditionFailed };
