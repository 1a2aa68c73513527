import { randomBytes } from "node:crypto";
import { CreateBucketCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { inject } from "vitest";
import { startS3Server } from "./s3-test-server.js";

/** An S3-compatible server the tests run against, with a bucket of their own. */
export interface S3Target {
  /** "Ceph RGW" (the real server) or "s3rver" (in-process, for quick runs). */
  readonly name: string;
  readonly endpoint: string;
  readonly bucket: string;
  /** Client settings for this server; `endpoint` overrides the address (to go through a fault proxy). */
  clientConfig(overrides?: Partial<S3ClientConfig> & { endpoint?: string }): S3ClientConfig;
  close(): Promise<void>;
}

/** True when the package's global setup started Ceph RGW (always, unless LLM_SANDBOX_S3_SERVER=s3rver). */
export const rgwAvailable = inject("rgw") !== null;

/** A fresh bucket on the Ceph RGW of this test run. */
export async function rgwTarget(): Promise<S3Target> {
  const info = inject("rgw");
  if (!info) throw new Error("Ceph RGW was not started (LLM_SANDBOX_S3_SERVER=s3rver)");
  const credentials = { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey };
  const clientConfig = (overrides: Partial<S3ClientConfig> & { endpoint?: string } = {}): S3ClientConfig => ({
    endpoint: info.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
    ...overrides,
  });
  const bucket = `t-${randomBytes(6).toString("hex")}`;
  const c = new S3Client(clientConfig());
  await c.send(new CreateBucketCommand({ Bucket: bucket }));
  c.destroy();
  return { name: "Ceph RGW", endpoint: info.endpoint, bucket, clientConfig, close: async () => undefined };
}

/** s3rver in this process, with conditional writes added (see s3-test-server.ts). */
export async function s3rverTarget(options: { conditional?: boolean; ignoreIfMatch?: boolean } = {}): Promise<S3Target> {
  const server = await startS3Server(options);
  const clientConfig = (overrides: Partial<S3ClientConfig> & { endpoint?: string } = {}): S3ClientConfig => ({
    endpoint: server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    maxAttempts: 1,
    ...overrides,
  });
  return { name: "s3rver", endpoint: server.endpoint, bucket: server.bucket, clientConfig, close: () => server.close() };
}

/** The servers a suite runs against: Ceph RGW (when started) and s3rver. */
export const TARGETS: ReadonlyArray<readonly [string, () => Promise<S3Target>]> = [
  ...(rgwAvailable ? ([["Ceph RGW", rgwTarget]] as const) : []),
  ["s3rver", () => s3rverTarget()],
];
