export { s3Storage, type S3Storage, type S3StorageOptions } from "./s3-storage.js";
export type { S3Capabilities } from "./s3-probe.js";
export type { GarbageOptions } from "./s3-gc.js";
export type { EtagForm } from "./s3-objects.js";
