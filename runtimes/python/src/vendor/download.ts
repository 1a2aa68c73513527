/**
 * Bounded HTTP reads for the package index (issue 22.4: an 800 MB "wheel" pushed the host
 * to 2.49 GB, an 800 MB index page to 1.74 GB and a raw "Cannot create a string longer
 * than…"). A declared Content-Length over the cap is refused before the body is read;
 * otherwise the body is streamed and the read stops as soon as it passes the cap, so at
 * most the cap (plus one network chunk) is ever held. Every request has a deadline.
 */
import { createHash, type Hash } from "node:crypto";
import { VendorError } from "./vendor-error.js";

const MiB = 1024 * 1024;

/** Default cap on one index page (the JSON or HTML list of a project's files). */
export const DEFAULT_MAX_INDEX_PAGE_BYTES = 32 * MiB;
/** Default cap on one downloaded wheel (compressed). */
export const DEFAULT_MAX_WHEEL_BYTES = 64 * MiB;
/** Default deadline of one request to the index, headers and body included. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/** What a bounded GET needs to know. */
export interface CappedGet {
  readonly url: string | URL;
  /** What is being fetched, for messages ("the index page of attrs", "attrs-23.2.0-py3-none-any.whl"). */
  readonly what: string;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly headers?: Record<string, string>;
  /** Also computes the body's sha256 while it streams. */
  readonly sha256?: boolean;
}

/** A body read within its cap. */
export interface CappedBody {
  readonly bytes: Uint8Array;
  readonly status: number;
  readonly contentType: string;
  /** The final URL (after redirects). */
  readonly url: string;
  /** Hex sha256 of `bytes`, when asked for. */
  readonly sha256: string | null;
}

/**
 * GETs `url` and reads its body, at most `maxBytes` of it.
 * @throws VendorError `unreachable` (network, deadline) or `too-large`; a non-2xx status
 *   is returned (with an empty body) for the caller to explain.
 */
export async function cappedGet(get: CappedGet): Promise<CappedBody> {
  const signal = AbortSignal.timeout(get.timeoutMs);
  let res: Response;
  try {
    res = await fetch(get.url, { signal, ...(get.headers ? { headers: get.headers } : {}) });
  } catch (e) {
    throw unreachable(get, e);
  }
  const base = { status: res.status, contentType: res.headers.get("content-type") ?? "", url: res.url || String(get.url) };
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    return { ...base, bytes: new Uint8Array(0), sha256: null };
  }
  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > get.maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(get, `is ${declared} bytes, over the ${get.maxBytes}-byte limit`);
  }
  const hash = get.sha256 ? createHash("sha256") : null;
  const bytes = await readBody(res, get, hash);
  return { ...base, bytes, sha256: hash ? hash.digest("hex") : null };
}

async function readBody(res: Response, get: CappedGet, hash: Hash | null): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > get.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(get, `is over the ${get.maxBytes}-byte limit (the download was stopped there)`);
      }
      hash?.update(value);
      chunks.push(value);
    }
  } catch (e) {
    if (VendorError.isInstance(e)) throw e;
    throw unreachable(get, e);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

function tooLarge(get: CappedGet, detail: string): VendorError {
  return new VendorError(`${get.what} ${detail}; refusing it (raise the limit only for an index you trust)`, { problem: "too-large" });
}

function unreachable(get: CappedGet, e: unknown): VendorError {
  const timedOut = (e as Error)?.name === "TimeoutError" || (e as Error)?.name === "AbortError";
  const why = timedOut ? `no complete answer within ${get.timeoutMs} ms` : String((e as Error)?.message ?? e).split("\n")[0];
  return new VendorError(`cannot fetch ${get.what} from ${new URL(String(get.url)).origin} (${why}); check the network or the index URL`, { cause: e, problem: "unreachable" });
}
