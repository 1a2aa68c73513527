import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { KeyedMutex } from "@llm-wasm-sandbox/core";
import S3rver from "s3rver";

/** A running S3-compatible server on 127.0.0.1 for tests. */
export interface S3TestServer {
  readonly endpoint: string;
  readonly bucket: string;
  close(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 (random port) over a temp directory, with one bucket.
 *
 * s3rver 3.7.1 ignores `If-Match` / `If-None-Match` on PUT (it honours
 * If-None-Match only on GET) and is not atomic per key (a GET can see a PUT's
 * object half-written). With `conditional: true` (the default) a middleware in
 * front of its router adds what AWS S3 has done since 2024: conditional PUTs
 * (412 PreconditionFailed) and per-key linearizability (requests on one key run
 * one at a time and a PUT is fully on disk before it is answered). With
 * `conditional: false` it is plain s3rver, for testing that the adapter refuses
 * a server that ignores conditional writes; `ignoreIfMatch` honours only
 * If-None-Match (a server the probe must refuse too).
 */
export async function startS3Server(options: { conditional?: boolean; ignoreIfMatch?: boolean } = {}): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), "llm-sandbox-s3rver-"));
  const bucket = "sandbox-test";
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  // s3rver's multi-object delete runs its deletes in parallel, and each prunes
  // empty directories, so two in one folder race (500 InternalError). Real S3
  // has no such race; run them one at a time.
  const deletes = new KeyedMutex();
  const deleteObject = server.store.deleteObject.bind(server.store);
  server.store.deleteObject = (b, key) => deletes.run("all", () => deleteObject(b, key));
  if (options.conditional !== false) {
    const mutex = new KeyedMutex();
    server.middleware.unshift(async (ctx, next) => {
      const m = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
      // Only plain object requests (the SDK tags them with ?x-id=...); sub-resources pass through.
      if (!m || Object.keys(ctx.query).some((q) => q !== "x-id")) return next();
      const b = m[1] as string;
      const key = decodeURIComponent(m[2] as string);
      return mutex.run(`${b}/${key}`, async () => {
        const ifMatch = options.ignoreIfMatch ? "" : ctx.get("if-match");
        if (ctx.method === "PUT" && !(await preconditionHolds(server, b, key, ifMatch, ctx.get("if-none-match")))) {
          ctx.status = 412;
          ctx.type = "application/xml";
          ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-Match</Condition></Error>`;
          return;
        }
        await next();
        if (ctx.method === "PUT" && ctx.status === 200) await untilWritten(server.store.getResourcePath(b, key, "object"), Number(ctx.get("content-length")));
        if (ctx.method === "GET" && isStream(ctx.body)) ctx.body = await buffer(ctx.body);
      });
    });
  }
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function preconditionHolds(server: S3rver, bucket: string, key: string, ifMatch: string, ifNoneMatch: string): Promise<boolean> {
  if (!ifMatch && !ifNoneMatch) return true;
  let etag: string | null;
  try {
    etag = (await server.store.getMetadata(bucket, key)).etag;
  } catch {
    etag = null;
  }
  if (ifNoneMatch === "*" && etag !== null) return false;
  if (ifMatch && (etag === null || unquote(etag) !== unquote(ifMatch))) return false;
  return true;
}

/** s3rver answers a PUT before its file write stream has flushed; wait until the bytes are there. */
async function untilWritten(path: string, length: number): Promise<void> {
  if (!Number.isFinite(length)) return;
  for (let i = 0; i < 200; i++) {
    const st = await stat(path).catch(() => null);
    if (st && st.size >= length) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const unquote = (s: string): string => s.trim().replace(/^W\//, "").replace(/^"|"$/g, "");

const isStream = (v: unknown): v is Readable => typeof v === "object" && v !== null && typeof (v as Readable).pipe === "function";

async function buffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
