/**
 * Crash atomicity and garbage collection on Ceph RGW: a host committing 40 files
 * is SIGKILLed during its uploads, or while its committing PUT is in flight (held
 * at a proxy, then let through or lost). Afterwards the session holds exactly the
 * old generation or the new one, whole; `collectGarbage` removes what the crash
 * left and never what a live commit still needs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { type FaultProxy, type ProxiedRequest, startFaultProxy } from "@llm-wasm-sandbox/ceph-rgw";
import { planCommit } from "@llm-wasm-sandbox/core";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { NODE_BUNDLE_OPTIONS } from "@llm-wasm-sandbox/vitest-config/bundle-options";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3Storage, type S3Storage } from "../src/index.js";
import { generationJournal } from "./fixtures/generation-journal.js";
import { rgwAvailable, rgwTarget, type S3Target } from "./s3-targets.js";

const FILES = 40;
const BYTES = 16 * 1024;
const outDir = fileURLToPath(new URL(`../node_modules/.cache/llm-sandbox-s3crash-${process.pid}/`, import.meta.url));
const script = `${outDir}s3-commit-child.mjs`;
let n = 0;

const isDocPut = (r: ProxiedRequest): boolean => r.method === "PUT" && r.url.split("?")[0]?.endsWith("/session.json") === true;
const isBlobPut = (r: ProxiedRequest): boolean => r.method === "PUT" && r.url.includes("/files/");

/** A gate the proxy holds a request behind; `seen` resolves when a request reached it. */
function gate(): { until: Promise<"forward" | "reset">; open: (how: "forward" | "reset") => void; seen: Promise<void>; arrive: () => void } {
  let open!: (how: "forward" | "reset") => void;
  let arrive!: () => void;
  const until = new Promise<"forward" | "reset">((r) => (open = r));
  const seen = new Promise<void>((r) => (arrive = r));
  return { until, open, seen, arrive };
}

describe.skipIf(!rgwAvailable)("s3 commit crash atomicity and garbage collection (Ceph RGW)", () => {
  let rgw: S3Target;
  let proxy: FaultProxy;
  beforeAll(async () => {
    rgw = await rgwTarget();
    proxy = await startFaultProxy(rgw.endpoint);
    await mkdir(outDir, { recursive: true });
    await build({ ...NODE_BUNDLE_OPTIONS, entryPoints: [fileURLToPath(new URL("./fixtures/s3-commit-child.ts", import.meta.url))], outfile: script, external: ["@aws-sdk/*"] });
  });
  afterAll(async () => {
    await proxy.close();
    await rm(outDir, { recursive: true, force: true });
  });

  /** A session holding the whole old generation; `config` reaches RGW directly, `proxied` through the proxy. */
  async function prepare(): Promise<{ storage: S3Storage; config: object; proxied: object; prefix: string }> {
    const prefix = `crash/${++n}`;
    const config = { bucket: rgw.bucket, prefix, clientConfig: rgw.clientConfig() };
    const storage = s3Storage(config);
    await storage.createSession(testSessionMetadata("crash"));
    await commitJournal(storage, "crash", generationJournal("old", FILES, BYTES));
    return { storage, config, proxied: { ...config, clientConfig: rgw.clientConfig({ endpoint: proxy.endpoint }) }, prefix };
  }

  const startChild = (proxied: object): ChildProcess => spawn(process.execPath, ["--no-warnings", script, JSON.stringify(proxied), "crash", String(FILES), String(BYTES)], { stdio: ["ignore", "pipe", "inherit"] });
  const kill = async (child: ChildProcess): Promise<void> => {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  };

  /** Holds the committing PUT (`session.json`) at the proxy behind a new gate; every other request goes through. */
  function holdDocPut(): ReturnType<typeof gate> {
    const g = gate();
    proxy.setRule((r) => {
      if (isDocPut(r)) {
        g.arrive();
        return { kind: "hold", until: g.until };
      }
      return { kind: "forward" };
    });
    return g;
  }

  async function blobKeys(prefix: string): Promise<string[]> {
    const c = new S3Client(rgw.clientConfig());
    const out: string[] = [];
    let token: string | undefined;
    do {
      const res = await c.send(new ListObjectsV2Command({ Bucket: rgw.bucket, Prefix: `${prefix}/crash/files/`, ...(token ? { ContinuationToken: token } : {}) }));
      out.push(...(res.Contents ?? []).map((o) => o.Key as string));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    c.destroy();
    return out;
  }

  /** The session holds exactly one generation, every byte of it. */
  async function expectOneGeneration(storage: S3Storage, expected: "old" | "new"): Promise<void> {
    const entries = await storage.listFiles("crash");
    expect(new TextDecoder().decode(await storage.readFile("crash", "generation.txt"))).toBe(expected);
    const data = entries.filter((e) => e.path.startsWith("data/") && e.type === "file");
    expect(data).toHaveLength(FILES);
    const fill = expected === "old" ? 0x4f : 0x4e;
    for (const e of data) expect((await storage.readFile("crash", e.path)).every((b) => b === fill), e.path).toBe(true);
    expect(entries.some((e) => e.path.startsWith("old-only"))).toBe(expected === "old");
    const meta = await storage.getSession("crash");
    expect(meta).toMatchObject({ version: expected === "old" ? 1 : 2, fileCount: FILES + (expected === "old" ? 2 : 1) });
  }

  it("a host killed during its uploads leaves the old generation whole; its uploads are garbage, collected at once", async () => {
    const { storage, proxied, prefix } = await prepare();
    const g = gate();
    let blobs = 0;
    proxy.setRule((r) => {
      if (isBlobPut(r) && ++blobs === 20) {
        g.arrive();
        return { kind: "hold", until: g.until };
      }
      return { kind: "forward" };
    });
    const child = startChild(proxied);
    await g.seen;
    await kill(child);
    g.open("reset");
    proxy.setRule(() => ({ kind: "forward" }));
    await expectOneGeneration(storage, "old");
    const before = (await blobKeys(prefix)).length;
    expect(before).toBeGreaterThan(FILES + 1);
    // Tagged with the generation the session would reach next, they are kept for a while (the host might be alive)...
    expect(await storage.collectGarbage("crash")).toBe(0);
    // ...and removed once old enough — all of them, nothing else.
    expect(await storage.collectGarbage("crash", { minAgeMs: 0 })).toBe(before - (FILES + 2));
    expect(await blobKeys(prefix)).toHaveLength(FILES + 2);
    await expectOneGeneration(storage, "old");
    await storage.close();
  });

  it("a host killed while its committing PUT is in flight: the PUT lands after its death and the new generation is whole", async () => {
    const { storage, proxied, prefix } = await prepare();
    const g = holdDocPut();
    const child = startChild(proxied);
    await g.seen;
    await kill(child);
    g.open("forward");
    proxy.setRule(() => ({ kind: "forward" }));
    await expect.poll(async () => (await storage.getSession("crash"))?.version, { timeout: 10_000 }).toBe(2);
    await expectOneGeneration(storage, "new");
    // The dead host never deleted the superseded objects (all 42 of the old generation): they are garbage now.
    expect(await storage.collectGarbage("crash")).toBe(FILES + 2);
    expect(await blobKeys(prefix)).toHaveLength(FILES + 1);
    await storage.close();
  });

  it("a host killed while its committing PUT is in flight, and the PUT is lost: the old generation stays whole", async () => {
    const { storage, proxied } = await prepare();
    const g = holdDocPut();
    const child = startChild(proxied);
    await g.seen;
    await kill(child);
    g.open("reset");
    proxy.setRule(() => ({ kind: "forward" }));
    await expectOneGeneration(storage, "old");
    expect(await storage.collectGarbage("crash", { minAgeMs: 0 })).toBe(FILES + 1);
    await storage.close();
  });

  it("garbage collection while another host's commit is in flight never removes what that commit needs", async () => {
    const { storage, proxied } = await prepare();
    const writer = s3Storage(proxied as Parameters<typeof s3Storage>[0]);
    const g = holdDocPut();
    const start = await writer.snapshot("crash");
    const committing = writer.commit("crash", planCommit(start.entries, generationJournal("new", FILES, BYTES)), { expectedVersion: start.metadata.version });
    await g.seen;
    expect(await storage.collectGarbage("crash")).toBe(0);
    g.open("forward");
    await expect(committing).resolves.toMatchObject({ version: 2 });
    proxy.setRule(() => ({ kind: "forward" }));
    await expectOneGeneration(storage, "new");
    await Promise.all([storage.close(), writer.close()]);
  });
});
