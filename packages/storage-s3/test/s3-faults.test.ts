/**
 * Lost replies, resets, 500s and servers that do not honour conditions, against
 * Ceph RGW through a fault-injecting proxy on loopback. The classic failure: the
 * manifest PUT lands, its reply is lost, the SDK retries and gets 412 — and an
 * adapter that took its own new version for "another writer" deleted the objects
 * that version points to, breaking the session for good.
 */
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { type FaultAction, type FaultProxy, type ProxiedRequest, startFaultProxy } from "@llm-wasm-sandbox/ceph-rgw";
import { StorageError } from "@llm-wasm-sandbox/core";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3Storage, type S3Storage } from "../src/index.js";
import { rgwAvailable, rgwTarget, type S3Target } from "./s3-targets.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
let n = 0;

const isDocPut = (r: ProxiedRequest): boolean => r.method === "PUT" && r.url.split("?")[0]?.endsWith("/session.json") === true;

describe.skipIf(!rgwAvailable)("s3 storage against Ceph RGW behind a fault-injecting proxy", () => {
  let rgw: S3Target;
  let proxy: FaultProxy;
  beforeAll(async () => {
    rgw = await rgwTarget();
    proxy = await startFaultProxy(rgw.endpoint);
  });
  afterAll(async () => {
    await proxy.close();
  });

  /** An adapter talking to RGW through the proxy; `maxAttempts` as the SDK would retry. */
  const through = (maxAttempts: number, requestTimeout?: number): { storage: S3Storage; prefix: string } => {
    const prefix = `faults/${++n}`;
    const timeout = requestTimeout === undefined ? {} : { requestHandler: { requestTimeout } };
    return { prefix, storage: s3Storage({ bucket: rgw.bucket, prefix, clientConfig: rgw.clientConfig({ endpoint: proxy.endpoint, maxAttempts, ...timeout }) }) };
  };

  async function keysUnder(prefix: string): Promise<string[]> {
    const c = new S3Client(rgw.clientConfig());
    const res = await c.send(new ListObjectsV2Command({ Bucket: rgw.bucket, Prefix: prefix }));
    c.destroy();
    return (res.Contents ?? []).map((o) => o.Key as string).sort();
  }

  /** Every file readable, every byte right, the version where it should be, no blob missing or left over. */
  async function expectWhole(storage: S3Storage, prefix: string, files: Record<string, string>, version: number, garbage = 0): Promise<void> {
    const direct = s3Storage({ bucket: rgw.bucket, prefix, clientConfig: rgw.clientConfig() });
    expect((await direct.listFiles("s")).filter((e) => e.type === "file").map((e) => e.path)).toEqual(Object.keys(files).sort());
    for (const [path, text] of Object.entries(files)) expect(dec.decode(await direct.readFile("s", path)), path).toBe(text);
    expect((await direct.getSession("s"))?.version).toBe(version);
    expect(await direct.collectGarbage("s", { minAgeMs: 0 })).toBe(garbage);
    expect((await keysUnder(`${prefix}/s/files/`)).length).toBe(Object.keys(files).length);
    await direct.close();
    await storage.close();
  }

  /** A session at version 1 holding a.txt, and a commit of version 2 whose document PUT meets `fault` once. */
  async function commitThrough(maxAttempts: number, fault: FaultAction, requestTimeout?: number): Promise<{ storage: S3Storage; prefix: string; commit: Promise<unknown> }> {
    const { storage, prefix } = through(maxAttempts, requestTimeout);
    proxy.setRule(() => ({ kind: "forward" }));
    await storage.createSession(testSessionMetadata("s"));
    await storage.writeFile("s", "a.txt", enc.encode("v1"));
    let faulted = false;
    proxy.setRule((r) => {
      if (!faulted && isDocPut(r)) {
        faulted = true;
        return fault;
      }
      return { kind: "forward" };
    });
    const commit = commitJournal(storage, "s", { entries: [{ op: "write", path: "a.txt", data: enc.encode("v2") }, { op: "write", path: "b.txt", data: enc.encode("new") }] });
    return { storage, prefix, commit };
  }

  it("the probe finds what RGW honours: bare If-Match ETags only, no conditional DELETE", async () => {
    const { storage } = through(1);
    proxy.setRule(() => ({ kind: "forward" }));
    expect(await storage.capabilities()).toEqual({ etagForm: "bare", conditionalDelete: false });
    await storage.close();
  });

  it("the reply of the committing PUT is lost and the SDK retries into a 412: the commit succeeds, its objects are kept", async () => {
    const { storage, prefix, commit } = await commitThrough(3, { kind: "drop-reply" });
    await expect(commit).resolves.toMatchObject({ version: 2, created: ["b.txt"], modified: ["a.txt"] });
    // The SDK did retry the same PUT, and RGW refused the retry (412): the adapter read the outcome from the document.
    expect(proxy.log.filter(isDocPut).length).toBeGreaterThanOrEqual(2);
    await expectWhole(storage, prefix, { "a.txt": "v2", "b.txt": "new" }, 2);
  });

  it("the reply is lost and the SDK does not retry: the commit is decided from the document, not reported as failed", async () => {
    const { storage, prefix, commit } = await commitThrough(1, { kind: "drop-reply" });
    await expect(commit).resolves.toMatchObject({ version: 2 });
    await expectWhole(storage, prefix, { "a.txt": "v2", "b.txt": "new" }, 2);
  });

  it("the connection is reset before the PUT reaches RGW: retried, committed once", async () => {
    const { storage, prefix, commit } = await commitThrough(1, { kind: "reset" });
    await expect(commit).resolves.toMatchObject({ version: 2 });
    await expectWhole(storage, prefix, { "a.txt": "v2", "b.txt": "new" }, 2);
  });

  it("the PUT is answered 500 (as racing RGW losers sometimes are): retried, committed once", async () => {
    const { storage, prefix, commit } = await commitThrough(1, { kind: "error-500" });
    await expect(commit).resolves.toMatchObject({ version: 2 });
    await expectWhole(storage, prefix, { "a.txt": "v2", "b.txt": "new" }, 2);
  });

  it("the reply is delayed past the client's timeout: the late success is recognized, not redone", async () => {
    const { storage, prefix, commit } = await commitThrough(1, { kind: "delay", ms: 3000 }, 1000);
    await expect(commit).resolves.toMatchObject({ version: 2 });
    await expectWhole(storage, prefix, { "a.txt": "v2", "b.txt": "new" }, 2);
  });

  it("a network error that persists fails the commit with the status and cause kept, and commits nothing", async () => {
    const { storage, prefix } = through(1);
    proxy.setRule(() => ({ kind: "forward" }));
    await storage.createSession(testSessionMetadata("s"));
    await storage.writeFile("s", "a.txt", enc.encode("v1"));
    proxy.setRule((r) => (isDocPut(r) ? { kind: "error-500" } : { kind: "forward" }));
    const err = await commitJournal(storage, "s", { entries: [{ op: "write", path: "a.txt", data: enc.encode("v2") }] }).catch((e: unknown) => e);
    expect(StorageError.isInstance(err), String(err)).toBe(true);
    expect(String(err)).toMatch(/HTTP 500/);
    expect(String(err)).toMatch(/nothing was committed/);
    proxy.setRule(() => ({ kind: "forward" }));
    // Its upload is kept while a late copy of its PUT could still land (default minAgeMs), and collected after.
    const gc = s3Storage({ bucket: rgw.bucket, prefix, clientConfig: rgw.clientConfig() });
    expect(await gc.collectGarbage("s")).toBe(0);
    await gc.close();
    await expectWhole(storage, prefix, { "a.txt": "v1" }, 1, 1);
  });
});
