import { describeStorageConformance } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll } from "vitest";
import { s3Storage } from "../src/index.js";
import { type S3TestServer, startS3Server } from "./s3-test-server.js";
import { clientConfig } from "./s3-test-config.js";

let server: S3TestServer;
let n = 0;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server.close();
});

describeStorageConformance("s3 (s3rver over HTTP)", async () => {
  // A fresh prefix per test gives every test an empty store without restarting the server.
  const options = { bucket: server.bucket, prefix: `conformance/${++n}`, clientConfig: clientConfig(server.endpoint) };
  const adapter = s3Storage(options);
  return { adapter, sibling: () => s3Storage(options), cleanup: () => adapter.close() };
});
