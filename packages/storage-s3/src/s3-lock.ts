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

/**
 * A cross-host lock as a lease object: created with `If-None-Match: *`; a lease
 * past its expiry is taken over with `If-Match: <its ETag>`, so of two hosts
 * racing for it exactly one wins. Released by deleting it (with `If-Match`, for
 * stores that honour it on DELETE) after checking it is still ours.
 * @throws StorageConflictError when still held by another owner after `timeoutMs`.
 */
export async function acquireS3Lock(
  objects: S3Objects,
  key: string,
  sessionId: string,
  options: { timeoutMs: number; leaseMs: number },
): Promise<() => Promise<void>> {
  const token = randomBytes(12).toString("hex");
  const lease = (): Uint8Array =>
    new TextEncoder().encode(JSON.stringify({ token, host: hostname(), pid: process.pid, expiresAt: Date.now() + options.leaseMs } satisfies Lease));
  const started = Date.now();
  let holder: Lease | null = null;
  for (let attempt = 0; ; attempt++) {
    try {
      const etag = await objects.put(key, lease(), { ifNoneMatch: "*" });
      return () => release(objects, key, token, etag);
    } catch (e) {
      if (!(e instanceof PreconditionFailed)) throw e;
    }
    const current = await objects.get(key);
    holder = current ? parseLease(current.body) : null;
    if (current && (!holder || holder.expiresAt < Date.now())) {
      try {
        const etag = await objects.put(key, lease(), { ifMatch: current.etag });
        return () => release(objects, key, token, etag);
      } catch (e) {
        if (!(e instanceof PreconditionFailed)) throw e;
      }
    }
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs) {
      const who = holder ? `${holder.host} pid ${holder.pid} until ${new Date(holder.expiresAt).toISOString()}` : "another host";
      throw new StorageConflictError(sessionId, `locked by ${who}; waited ${waited} ms`);
    }
    const backoff = Math.min(500, 10 * 2 ** Math.min(attempt, 6));
    await new Promise((r) => setTimeout(r, Math.min(backoff + Math.random() * backoff, Math.max(1, options.timeoutMs - waited))));
  }
}

async function release(objects: S3Objects, key: string, token: string, etag: string): Promise<void> {
  const current = await objects.get(key);
  if (!current || parseLease(current.body)?.token !== token) return;
  await objects.delete(key, etag).catch((e: unknown) => {
    // Taken over after our lease expired: it is no longer ours to delete.
    if (!(e instanceof PreconditionFailed)) throw e;
  });
}

function parseLease(bytes: Uint8Array): Lease | null {
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Lease>;
    return typeof v.token === "string" && typeof v.expiresAt === "number" ? (v as Lease) : null;
  } catch {
    return null;
  }
}
