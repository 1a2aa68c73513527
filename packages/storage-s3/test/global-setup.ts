/**
 * Starts one real S3-compatible server — Ceph RADOS Gateway, one node, memstore
 * OSD, on 127.0.0.1 — for every test file of this package, and stops it at the end.
 * `LLM_SANDBOX_S3_SERVER=s3rver` skips it for a quick run against the in-process
 * s3rver only (the RGW tests are then skipped; CI never sets it).
 */
import { type CephRgw, startCephRgw } from "@llm-wasm-sandbox/ceph-rgw";
import type { TestProject } from "vitest/node";

/** What the test files get through `inject("rgw")`. */
export interface RgwInfo {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    rgw: RgwInfo | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.LLM_SANDBOX_S3_SERVER === "s3rver") {
    project.provide("rgw", null);
    return undefined;
  }
  const ceph: CephRgw = await startCephRgw();
  project.provide("rgw", { endpoint: ceph.endpoint, accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey });
  return () => ceph.stop();
}
