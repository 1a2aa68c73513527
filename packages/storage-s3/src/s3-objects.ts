import type * as S3Sdk from "@aws-sdk/client-s3";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { StorageError } from "@llm-wasm-sandbox/core";

type Sdk = typeof S3Sdk;

/** A conditional PUT or GET found the object not as expected (HTTP 412, or 409 for a racing conditional write). */
export class PreconditionFailed extends Error {}

/** An object's bytes and its ETag. */
export interface StoredObject {
  readonly body: Uint8Array;
  readonly etag: string;
}

/** Conditions for `put`. */
export interface PutConditions {
  /** Only replace the object if its ETag is still this. */
  readonly ifMatch?: string;
  /** Only create the object if no object has this key. */
  readonly ifNoneMatch?: "*";
}

/** An object key with its size and age, as a listing returns it. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: number;
}

/**
 * How the endpoint wants `If-Match` spelled. AWS S3 and MinIO accept the ETag as
 * returned (quoted); Ceph RGW answers 412 to a quoted ETag that matches and honours
 * the bare one. Decided by the adapter's probe.
 */
export type EtagForm = "quoted" | "bare";

/**
 * The handful of S3 operations the adapter needs, over a lazily imported
 * `@aws-sdk/client-s3`: nothing loads the SDK until the first request.
 */
export class S3Objects {
  #sdk: Sdk | undefined;
  #client: S3Client | undefined;
  readonly #ownsClient: boolean;
  /** Set by the probe; see EtagForm. */
  etagForm: EtagForm = "quoted";
  #closed = false;

  constructor(
    readonly bucket: string,
    private readonly given: { client?: S3Client | undefined; clientConfig?: S3ClientConfig | undefined },
  ) {
    this.#ownsClient = given.client === undefined;
  }

  async get(key: string): Promise<StoredObject | null> {
    const { sdk, client } = await this.#load();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = res.Body ? await res.Body.transformToByteArray() : new Uint8Array(0);
      return { body, etag: res.ETag ?? "" };
    } catch (e) {
      if (errorName(e) === "NoSuchKey" || httpStatus(e) === 404) return this.#missingOrNoBucket(e);
      throw this.#wrap(e, `GET ${key}`);
    }
  }

  /** Stores `body` under `key`; returns the new ETag. @throws PreconditionFailed */
  async put(key: string, body: Uint8Array, conditions: PutConditions = {}): Promise<string> {
    const { sdk, client } = await this.#load();
    try {
      const res = await client.send(
        new sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: body.byteLength,
          ...(conditions.ifMatch ? { IfMatch: this.#spell(conditions.ifMatch) } : {}),
          ...(conditions.ifNoneMatch ? { IfNoneMatch: conditions.ifNoneMatch } : {}),
        }),
      );
      return res.ETag ?? "";
    } catch (e) {
      // AWS answers If-Match on a missing object with 404 NoSuchKey: the condition failed all the same.
      const missing = conditions.ifMatch !== undefined && (errorName(e) === "NoSuchKey" || httpStatus(e) === 404);
      if (missing || isPreconditionFailure(e)) throw new PreconditionFailed(`PUT ${key}: precondition failed`, { cause: e });
      throw this.#wrap(e, `PUT ${key}`);
    }
  }

  /** Deletes one object (missing is fine). `ifMatch` is sent for servers that honour it. */
  async delete(key: string, ifMatch?: string): Promise<void> {
    const { sdk, client } = await this.#load();
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key, ...(ifMatch ? { IfMatch: this.#spell(ifMatch) } : {}) }));
    } catch (e) {
      if (isPreconditionFailure(e)) throw new PreconditionFailed(`DELETE ${key}: precondition failed`, { cause: e });
      if (errorName(e) !== "NoSuchKey") throw this.#wrap(e, `DELETE ${key}`);
    }
  }

  /** Deletes many objects, 1000 per request. */
  async deleteMany(keys: readonly string[]): Promise<void> {
    const { sdk, client } = await this.#load();
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      try {
        const res = await client.send(new sdk.DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
        const failed = (res.Errors ?? []).filter((err) => err.Code !== "NoSuchKey");
        if (failed.length > 0) throw new StorageError("s3", `could not delete ${failed.length} object(s), first: ${failed[0]?.Key} (${failed[0]?.Code})`);
      } catch (e) {
        if (StorageError.isInstance(e)) throw e;
        throw this.#wrap(e, `DELETE ${batch.length} objects`);
      }
    }
  }

  /** Every key under `prefix`. */
  async listKeys(prefix: string): Promise<string[]> {
    return (await this.listObjects(prefix)).map((o) => o.key);
  }

  /** Every object under `prefix`, with size and last-modified time. */
  async listObjects(prefix: string): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    await this.#list(prefix, undefined, (page) => {
      for (const c of page.Contents ?? []) if (c.Key) out.push({ key: c.Key, size: c.Size ?? 0, lastModified: c.LastModified?.getTime() ?? 0 });
    });
    return out;
  }

  /** The "directories" directly under `prefix` (common prefixes with delimiter "/"). */
  async listPrefixes(prefix: string): Promise<string[]> {
    const out: string[] = [];
    await this.#list(prefix, "/", (page) => {
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
    });
    return out;
  }

  /** Destroys the client if this adapter created it; later requests fail with StorageError. */
  close(): void {
    if (this.#ownsClient) this.#client?.destroy();
    this.#client = undefined;
    this.#closed = true;
  }

  async #list(
    prefix: string,
    delimiter: string | undefined,
    onPage: (page: { Contents?: Array<{ Key?: string; Size?: number; LastModified?: Date }>; CommonPrefixes?: Array<{ Prefix?: string }> }) => void,
  ): Promise<void> {
    const { sdk, client } = await this.#load();
    let token: string | undefined;
    do {
      try {
        const res = await client.send(
          new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(delimiter ? { Delimiter: delimiter } : {}), ...(token ? { ContinuationToken: token } : {}) }),
        );
        onPage(res);
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } catch (e) {
        throw this.#wrap(e, `LIST ${prefix}`);
      }
    } while (token);
  }

  async #load(): Promise<{ sdk: Sdk; client: S3Client }> {
    if (this.#closed) throw new StorageError("s3", `the adapter for bucket "${this.bucket}" is closed`);
    if (!this.#sdk) {
      try {
        this.#sdk = await import("@aws-sdk/client-s3");
      } catch (e) {
        throw new StorageError("s3", "cannot load @aws-sdk/client-s3 — run `npm install @aws-sdk/client-s3`", { cause: e });
      }
    }
    this.#client ??= this.given.client ?? new this.#sdk.S3Client(this.given.clientConfig ?? {});
    return { sdk: this.#sdk, client: this.#client };
  }

  #missingOrNoBucket(e: unknown): null {
    if (errorName(e) === "NoSuchBucket") throw this.#wrap(e, "GET");
    return null;
  }

  #wrap(e: unknown, what: string): StorageError {
    const name = errorName(e);
    if (name === "NoSuchBucket") return new StorageError("s3", `bucket "${this.bucket}" not found — create it or pass another bucket`, { cause: e });
    if (name === "InvalidAccessKeyId" || name === "SignatureDoesNotMatch" || name === "AccessDenied" || name === "CredentialsProviderError") {
      return new StorageError("s3", `${what} refused (${name}) — check the credentials and bucket policy`, { cause: e });
    }
    return new StorageError("s3", `${what} failed: ${describeFailure(e)}`, { cause: e });
  }

  #spell(etag: string): string {
    return this.etagForm === "bare" ? etag.replace(/^"|"$/g, "") : etag;
  }
}

/** HTTP status, error name and message of a failed request, or the network error's code ("ECONNRESET"). */
export function describeFailure(e: unknown): string {
  const status = httpStatus(e);
  const name = errorName(e);
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  const message = e instanceof Error ? e.message : String(e);
  const parts = [status !== undefined ? `HTTP ${status}` : null, name && name !== "Error" ? name : null, typeof code === "string" ? code : null, message && message !== name ? message : null];
  return parts.filter((p): p is string => p !== null && p !== "").join(" ") || "unknown error";
}

function errorName(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && typeof (e as { name?: unknown }).name === "string" ? (e as { name: string }).name : undefined;
}

/** The HTTP status of an SDK error, when the server answered. */
export function httpStatus(e: unknown): number | undefined {
  const meta = typeof e === "object" && e !== null ? (e as { $metadata?: { httpStatusCode?: number } }).$metadata : undefined;
  return meta?.httpStatusCode;
}

function isPreconditionFailure(e: unknown): boolean {
  const status = httpStatus(e);
  // 409 ConditionalRequestConflict: S3's answer when two conditional writes race.
  return status === 412 || status === 409 || errorName(e) === "PreconditionFailed" || errorName(e) === "ConditionalRequestConflict";
}
