import type { S3ClientConfig } from "@aws-sdk/client-s3";

/** Client settings for the local test server (s3rver's default credentials, path-style URLs). */
export function clientConfig(endpoint: string): S3ClientConfig {
  return {
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    maxAttempts: 1,
  };
}
