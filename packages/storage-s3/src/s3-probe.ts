import { randomBytes } from "node:crypto";
import { StorageError } from "@llm-wasm-sandbox/core";
import { type EtagForm, PreconditionFailed, type S3Objects } from "./s3-objects.js";

/** What the endpoint was found to honour. */
export interface S3Capabilities {
  /** How If-Match must spell an ETag (see EtagForm). */
  readonly etagForm: EtagForm;
  /** Whether DELETE honours If-Match (AWS S3 does; Ceph RGW ignores it). */
  readonly conditionalDelete: boolean;
}

const body = new TextEncoder().encode("probe");
/** Other bytes, so that the first ETag becomes stale. */
const body2 = new TextEncoder().encode("probe-2");

/**
 * Checks, once per adapter and before its first write, every condition the commit
 * protocol relies on, on scratch objects under `<prefix>/.probe/`:
 *
 *   1. PUT If-None-Match: *  creates a new object            (createSession, lock)
 *   2. the same PUT again    fails                            (no double create)
 *   3. PUT If-Match: <current ETag> succeeds, quoted as returned or else bare
 *                                                             (commits; Ceph RGW wants it bare)
 *   4. PUT If-Match: <stale ETag> fails                       (a stale commit never lands)
 *   5. PUT If-Match on a missing object fails                 (a deleted session stays deleted)
 *   6. DELETE If-Match: <stale ETag> — kept or not decides how locks are released
 *
 * A server failing 1–5 would let two writers overwrite each other, so the adapter
 * refuses it with a StorageError naming the failed check.
 */
export async function probeConditionalWrites(objects: S3Objects, prefix: string): Promise<S3Capabilities> {
  const key = `${prefix}${randomBytes(8).toString("hex")}`;
  const missing = `${key}-missing`;
  const refuse = (what: string): StorageError =>
    new StorageError(
      "s3",
      `bucket "${objects.bucket}": the endpoint ${what}, so concurrent writers could overwrite each other — ` +
        "use a store with conditional writes (AWS S3, MinIO, Ceph RGW, Cloudflare R2…) or pass verifyConditionalWrites: false to accept last-writer-wins",
    );
  try {
    const first = await objects.put(key, body, { ifNoneMatch: "*" });
    if (!(await fails(() => objects.put(key, body, { ifNoneMatch: "*" })))) throw refuse("ignores If-None-Match: * (a second create succeeded)");
    objects.etagForm = "quoted";
    let etagForm: EtagForm = "quoted";
    let current = await attempt(() => objects.put(key, body2, { ifMatch: first }));
    if (current === null) {
      objects.etagForm = etagForm = "bare";
      current = await attempt(() => objects.put(key, body2, { ifMatch: first }));
      if (current === null) throw refuse(`refuses If-Match with the object's current ETag (${first}), quoted or bare`);
    }
    if (!(await fails(() => objects.put(key, body, { ifMatch: first })))) throw refuse("ignores If-Match (a PUT with a stale ETag succeeded)");
    if (!(await fails(() => objects.put(missing, body, { ifMatch: current })))) throw refuse("ignores If-Match on a missing object (the PUT created it)");
    let conditionalDelete = false;
    try {
      await objects.delete(key, first);
      conditionalDelete = (await objects.get(key)) !== null;
    } catch (e) {
      if (!(e instanceof PreconditionFailed)) throw e;
      conditionalDelete = true;
    }
    return { etagForm, conditionalDelete };
  } finally {
    await objects.deleteMany([key, missing]).catch(() => undefined);
  }
}

/** True when `fn` fails its precondition. */
async function fails(fn: () => Promise<unknown>): Promise<boolean> {
  return (await attempt(fn)) === null;
}

/** The result of `fn`, or null when its precondition failed. */
async function attempt<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof PreconditionFailed) return null;
    throw e;
  }
}
