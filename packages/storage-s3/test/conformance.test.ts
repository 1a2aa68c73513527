import { s3Storage } from "../src/index.js";
import { describeStorageConformance } from "@llm-wasm-sandbox/testkit";
import { afterAll } from "vitest";
import { type S3Target, TARGETS } from "./s3-targets.js";

for (const [name, start] of TARGETS) {
  let target: Promise<S3Target> | undefined;
  let n = 0;
  afterAll(async () => {
    await (await target)?.close();
  });
  describeStorageConformance(`s3 (${name})`, async () => {
    target ??= start();
    const t = await target;
    // A fresh prefix per test gives every test an empty store without a new bucket.
    const options = { bucket: t.bucket, prefix: `conformance/${++n}`, clientConfig: t.clientConfig() };
    const adapter = s3Storage(options);
    return { adapter, sibling: () => s3Storage(options), cleanup: () => adapter.close() };
  });
}
