import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { StorageConflictError } from "@llm-wasm-sandbox/core";
import { PreconditionFailed, type S3Objects } from "./s3-objects.js";

interface Lease {
  readonly token: string;
  readonly host: string;
  readonly pid: number;
  readonly expiresAt: number;
}

/** How a lease is taken, kept and given back. */
export interface S3LockOptions {
  readonly timeoutMs: number;
  /** A lease lapses this long after its last renewal; renewed every third of it while held. */
  readonly leaseMs: number;
  /** Release with a conditional DELETE (when the server honours it) instead of a conditional PUT of a lapsed lease. */
  readonly conditionalDelete: boolean;
  /** Stoppers of the renewal timers of held leases: the adapter stops them all on close(). */
  readonly renewals: Set<() => void>;
}

/**
 * A cross-host lock as a lease object: created with `If-None-Match: *`, renewed
 * with `If-Match` every third of `leaseMs` while held, and taken over with
 * `If-Match: <its ETag>` (so of two hosts racing for it exactly one wins) once it
 * lapsed — or at once when its holder is a dead process on this very host. A
 * holder that stalls past its lease can lose the lock; that is safe, because
 * commits are conditional on the version a run started from: the late commit is
 * refused as a conflict, never applied over the new holder's work.
 * @throws StorageConflictError when still held by another owner after `timeoutMs`.
 */
export async function acquireS3Lock(objects: S3Objects, key: string, sessionId: string, options: S3LockOptions): Promise<() => Promise<void>> {
  const token = randomBytes(12).toString("hex");
  const lease = (expiresAt: number): Uint8Array => new TextEncoder().encode(JSON.stringify({ token, host: hostname(), pid: process.pid, expiresAt } satisfies Lease));
  const started = Date.now();
  const seen: { holder: Lease | null } = { holder: null };
  for (let attempt = 0; ; attempt++) {
    const etag = await tryTake(objects, key, () => lease(Date.now() + options.leaseMs), (h) => (seen.holder = h));
    if (etag !== null) return keepAlive(objects, key, etag, lease, options);
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs) {
      const holder = seen.holder;
      const who = holder ? `${holder.host} pid ${holder.pid} (lease until ${new Date(holder.expiresAt).toISOString()})` : "another host";
      throw new StorageConflictError(sessionId, `locked by ${who}; waited ${waited} ms`, { locked: true });
    }
    // Short waits: a host's own waiters queue in-process (withSessionLock), so few hosts poll a lease at once,
    // and a lease is often released within milliseconds — long sleeps would leave the session idle.
    const backoff = Math.min(40, 5 * 2 ** Math.min(attempt, 3));
    await sleep(Math.min(backoff + Math.random() * backoff, Math.max(1, options.timeoutMs - waited)));
  }
}

/** One attempt: create, or take over a lapsed/dead lease. Returns the ETag of our lease, or null. */
async function tryTake(objects: S3Objects, key: string, body: () => Uint8Array, seen: (holder: Lease | null) => void): Promise<string | null> {
  try {
    return await objects.put(key, body(), { ifNoneMatch: "*" });
  } catch (e) {
    if (!(e instanceof PreconditionFailed)) throw e;
  }
  const current = await objects.get(key);
  if (!current) return null; // released between our two requests: the next attempt creates it
  const holder = parseLease(current.body);
  seen(holder);
  if (holder && holder.expiresAt >= Date.now() && !deadOnThisHost(holder)) return null;
  try {
    return await objects.put(key, body(), { ifMatch: current.etag });
  } catch (e) {
    if (e instanceof PreconditionFailed) return null;
    throw e;
  }
}

/** Renews the lease until released; the release gives it back only if it is still ours. */
function keepAlive(objects: S3Objects, key: string, firstEtag: string, lease: (expiresAt: number) => Uint8Array, options: S3LockOptions): () => Promise<void> {
  let etag: string | null = firstEtag;
  let renewing: Promise<void> = Promise.resolve();
  const renew = async (): Promise<void> => {
    if (etag === null) return;
    try {
      etag = await objects.put(key, lease(Date.now() + options.leaseMs), { ifMatch: etag });
    } catch (e) {
      // Taken over (we stalled past the lease) — or a transient error: stop either way; commits stay conditional.
      etag = e instanceof PreconditionFailed ? null : etag;
    }
  };
  const timer = setInterval(() => {
    renewing = renewing.then(renew);
  }, Math.max(50, Math.floor(options.leaseMs / 3)));
  timer.unref();
  const stop = (): void => clearInterval(timer);
  options.renewals.add(stop);
  return async () => {
    stop();
    options.renewals.delete(stop);
    await renewing;
    const mine = etag;
    etag = null;
    if (mine === null) return;
    try {
      if (options.conditionalDelete) await objects.delete(key, mine);
      // Without conditional DELETE, an unconditional one could remove a lease someone took over: lapse ours instead.
      else await objects.put(key, lease(0), { ifMatch: mine });
    } catch (e) {
      // Taken over after our lease lapsed: no longer ours to release.
      if (!(e instanceof PreconditionFailed)) throw e;
    }
  };
}

function deadOnThisHost(holder: Lease): boolean {
  if (holder.host !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return (e as { code?: string }).code === "ESRCH";
  }
}

function parseLease(bytes: Uint8Array): Lease | null {
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Lease>;
    return typeof v.token === "string" && typeof v.expiresAt === "number" && typeof v.pid === "number" && typeof v.host === "string" ? (v as Lease) : null;
  } catch {
    return null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
