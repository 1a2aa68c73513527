// Minimal typings for the parts of s3rver 3.x the tests use (the package ships none).
declare module "s3rver" {
  import type { Server } from "node:http";

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    configureBuckets?: Array<{ name: string }>;
  }

  interface KoaLikeContext {
    method: string;
    path: string;
    query: Record<string, unknown>;
    status: number;
    body: unknown;
    type: string;
    get(header: string): string;
  }

  type Middleware = (ctx: KoaLikeContext, next: () => Promise<void>) => Promise<void>;

  interface FilesystemStore {
    getMetadata(bucket: string, key: string): Promise<{ etag: string }>;
    getResourcePath(bucket: string, key: string, resource: string): string;
    deleteObject(bucket: string, key: string): Promise<void>;
  }

  class S3rver {
    constructor(options: S3rverOptions);
    middleware: Middleware[];
    store: FilesystemStore;
    httpServer?: Server;
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
  export default S3rver;
}
