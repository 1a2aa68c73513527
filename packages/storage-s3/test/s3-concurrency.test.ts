import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SessionNotFoundError, StorageConflictError, StorageError, type StorageAdapter } from "@llm-wasm-sandbox/core";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3Storage } from "../src/index.js";
import { type S3Target, s3rverTarget, TARGETS } from "./s3-targets.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
let n = 0;

type Send = S3Client["send"];
type Intercept = (command: { constructor: { name: string }; input: Record<string, unknown> }, forward: () => Promise<unknown>) => Promise<unknown>;

const isDocPut = (c: Parameters<Intercept>[0]): boolean => c.constructor.name === "PutObjectCommand" && String(c.input.Key).endsWith("/session.json");

describe.each(TARGETS)("s3 storage under concurrent writers (%s)", (_name, start) => {
  let server: S3Target;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server.close();
  });

  /** A real client whose requests can be intercepted (to pin down interleavings without timing). */
  function interceptingClient(intercept: Intercept): S3Client {
    const client = new S3Client(server.clientConfig());
    const send = client.send.bind(client) as (c: unknown) => Promise<unknown>;
    client.send = ((command: Parameters<Intercept>[0]) => intercept(command, () => send(command))) as unknown as Send;
    return client;
  }

  async function keysUnder(prefix: string): Promise<string[]> {
    const c = new S3Client(server.clientConfig());
    const res = await c.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix }));
    c.destroy();
    return (res.Contents ?? []).map((o) => o.Key as string).sort();
  }

  function fresh(): { prefix: string; make: (client?: S3Client) => StorageAdapter } {
    const prefix = `concurrency/${++n}`;
    return {
      prefix,
      make: (client) => (client ? s3Storage({ bucket: server.bucket, prefix, client }) : s3Storage({ bucket: server.bucket, prefix, clientConfig: server.clientConfig() })),
    };
  }

  it("two hosts committing from the same generation: exactly one gets StorageConflictError, nothing is overwritten", async () => {
    const { prefix, make } = fresh();
    const a = make();
    await a.createSession(testSessionMetadata("race"));
    await a.writeFile("race", "shared.txt", enc.encode("base"));
    // Host B has read generation 1 and uploaded its files; just before its
    // conditional PUT, host A commits — the interleaving is pinned, not timed.
    let commitA: Promise<unknown> | undefined;
    const b = make(
      interceptingClient(async (cmd, forward) => {
        if (isDocPut(cmd) && !commitA) {
          commitA = commitJournal(a, "race", { entries: [{ op: "write", path: "shared.txt", data: enc.encode("from A") }] });
          await commitA;
        }
        return forward();
      }),
    );
    const bCommit = commitJournal(b, "race", { entries: [{ op: "write", path: "shared.txt", data: enc.encode("from B") }, { op: "write", path: "b-only.txt", data: enc.encode("B") }] });
    await expect(bCommit).rejects.toSatisfy(StorageConflictError.isInstance);
    expect(dec.decode(await a.readFile("race", "shared.txt"))).toBe("from A");
    expect((await a.listFiles("race")).map((e) => e.path)).toEqual(["shared.txt"]);
    // The loser removed what it uploaded; the winner garbage-collected the old version.
    const blobs = (await keysUnder(`${prefix}/race/files/`)).map((k) => k.split("/").slice(-2).join("/"));
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).toMatch(/^2-[0-9a-f]+\/shared\.txt$/);
    await Promise.all([a.close(), b.close()]);
  });

  it("a metadata-only update racing a commit does not fail the commit", async () => {
    const { make } = fresh();
    const a = make();
    await a.createSession(testSessionMetadata("meta"));
    let update: Promise<unknown> | undefined;
    const b = make(
      interceptingClient(async (cmd, forward) => {
        if (isDocPut(cmd) && !update) {
          update = a.updateSession("meta", { executionCount: 7 });
          await update;
        }
        return forward();
      }),
    );
    const committing = commitJournal(b, "meta", { entries: [{ op: "write", path: "f.txt", data: enc.encode("x") }] });
    await expect(committing).resolves.toMatchObject({ created: ["f.txt"] });
    const meta = await a.getSession("meta");
    expect(meta).toMatchObject({ executionCount: 7, fileCount: 1 });
    await Promise.all([a.close(), b.close()]);
  });

  it("a commit that dies before its conditional PUT leaves the old state whole", async () => {
    const { prefix, make } = fresh();
    const a = make();
    await a.createSession(testSessionMetadata("crash"));
    await a.writeFile("crash", "keep.txt", enc.encode("old"));
    const dying = make(
      interceptingClient(async (cmd, forward) => {
        if (isDocPut(cmd)) throw new Error("host died");
        return forward();
      }),
    );
    await expect(commitJournal(dying, "crash", { entries: [{ op: "write", path: "keep.txt", data: enc.encode("new") }, { op: "write", path: "extra.txt", data: enc.encode("x") }, { op: "delete", path: "keep.txt" }] })).rejects.toThrow();
    expect((await a.listFiles("crash")).map((e) => e.path)).toEqual(["keep.txt"]);
    expect(dec.decode(await a.readFile("crash", "keep.txt"))).toBe("old");
    // Orphaned uploads exist but are unreachable; deleting the session removes them too.
    expect((await keysUnder(`${prefix}/crash/files/`)).length).toBeGreaterThan(1);
    expect(await a.deleteSession("crash")).toBe(true);
    expect(await keysUnder(`${prefix}/crash/`)).toEqual([]);
    await Promise.all([a.close(), dying.close()]);
  });

  it("a reader whose object was garbage-collected mid-read re-reads the manifest", async () => {
    const { make } = fresh();
    const writer = make();
    await writer.createSession(testSessionMetadata("gc"));
    await writer.writeFile("gc", "f.txt", enc.encode("v1"));
    let raced = false;
    const reader = make(
      interceptingClient(async (cmd, forward) => {
        if (!raced && cmd.constructor.name === "GetObjectCommand" && String(cmd.input.Key).includes("/files/")) {
          raced = true;
          await writer.writeFile("gc", "f.txt", enc.encode("v2"));
        }
        return forward();
      }),
    );
    expect(dec.decode(await reader.readFile("gc", "f.txt"))).toBe("v2");
    expect(raced).toBe(true);
    await Promise.all([writer.close(), reader.close()]);
  });

  it("a commit to a session deleted and re-created meanwhile does not resurrect the old files", async () => {
    const { make } = fresh();
    const a = make();
    await a.createSession(testSessionMetadata("reborn"));
    await a.writeFile("reborn", "old.txt", enc.encode("old"));
    let recreate: Promise<unknown> | undefined;
    const b = make(
      interceptingClient(async (cmd, forward) => {
        if (isDocPut(cmd) && !recreate) {
          recreate = (async () => {
            await a.deleteSession("reborn");
            await a.createSession(testSessionMetadata("reborn"));
          })();
          await recreate;
        }
        return forward();
      }),
    );
    const committing = commitJournal(b, "reborn", { entries: [{ op: "write", path: "late.txt", data: enc.encode("late") }] });
    await expect(committing).rejects.toSatisfy(SessionNotFoundError.isInstance);
    expect(await a.listFiles("reborn")).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it("a session whose document is damaged is listed as damaged (not hidden) and can be deleted with all its objects", async () => {
    const { prefix, make } = fresh();
    const a = make();
    await a.createSession(testSessionMetadata("ok"));
    await a.createSession(testSessionMetadata("broken"));
    await a.writeFile("broken", "f.txt", enc.encode("x"));
    const c = new S3Client(server.clientConfig());
    await c.send(new PutObjectCommand({ Bucket: server.bucket, Key: `${prefix}/broken/session.json`, Body: "{ not a document" }));
    c.destroy();
    const listed = await a.listSessions();
    expect(listed.map((m) => [m.sessionId, m.damaged !== undefined])).toEqual([
      ["broken", true],
      ["ok", false],
    ]);
    expect(listed[0]?.damaged).toMatch(/not a session document/);
    expect(await a.deleteSession("broken")).toBe(true);
    expect(await keysUnder(`${prefix}/broken/`)).toEqual([]);
    await a.close();
  });

  it("lock() is exclusive across adapters; a lapsed lease of another host is taken over, a live one is not", async () => {
    const prefix = `concurrency/${++n}`;
    const opts = { bucket: server.bucket, prefix, clientConfig: server.clientConfig() };
    const a = s3Storage(opts);
    const b = s3Storage(opts);
    const release = await a.lock!("l");
    await expect(b.lock!("l", { timeoutMs: 150 })).rejects.toSatisfy((e: unknown) => StorageConflictError.isInstance(e) && e.locked);
    await release();
    const releaseB = await b.lock!("l", { timeoutMs: 1000 });
    await releaseB();
    // A lease left by a host that vanished: live until its expiry, then taken over.
    const plant = async (expiresAt: number): Promise<void> => {
      const c = new S3Client(server.clientConfig());
      const lease = JSON.stringify({ token: "gone", host: "another-host", pid: 1, expiresAt });
      await c.send(new PutObjectCommand({ Bucket: server.bucket, Key: `${prefix}/.locks/p.json`, Body: lease }));
      c.destroy();
    };
    await plant(Date.now() + 60_000);
    await expect(a.lock!("p", { timeoutMs: 150 })).rejects.toSatisfy(StorageConflictError.isInstance);
    await plant(Date.now() - 1);
    const taken = await a.lock!("p", { timeoutMs: 1000 });
    await taken();
    await Promise.all([a.close(), b.close()]);
  });

});

describe("servers the adapter must refuse or report", () => {
  let plain: S3Target;
  let server: S3Target;
  let noIfMatch: S3Target;
  beforeAll(async () => {
    [plain, server, noIfMatch] = await Promise.all([s3rverTarget({ conditional: false }), s3rverTarget(), s3rverTarget({ ignoreIfMatch: true })]);
  });
  afterAll(async () => {
    await Promise.all([plain.close(), server.close(), noIfMatch.close()]);
  });

  it("refuses a server that honours If-None-Match but ignores If-Match, naming the failed check", async () => {
    const s = s3Storage({ bucket: noIfMatch.bucket, prefix: "half", clientConfig: noIfMatch.clientConfig() });
    await expect(s.createSession(testSessionMetadata("x"))).rejects.toSatisfy((e: unknown) => StorageError.isInstance(e) && /ignores If-Match \(a PUT with a stale ETag succeeded\)/.test(String(e)));
    expect(await s.getSession("x")).toBeNull();
    await s.close();
  });

  it("refuses a server that ignores conditional writes (plain s3rver), unless told to accept it", async () => {
    const strict = s3Storage({ bucket: plain.bucket, prefix: "strict", clientConfig: plain.clientConfig() });
    await expect(strict.createSession(testSessionMetadata("x"))).rejects.toSatisfy((e: unknown) => StorageError.isInstance(e) && /ignores If-None-Match/.test(String(e)));
    expect(await strict.getSession("x")).toBeNull();
    const lax = s3Storage({ bucket: plain.bucket, prefix: "lax", clientConfig: plain.clientConfig(), verifyConditionalWrites: false });
    await lax.createSession(testSessionMetadata("x"));
    expect((await lax.getSession("x"))?.sessionId).toBe("x");
    await Promise.all([strict.close(), lax.close()]);
  });

  it("reports a missing bucket with an actionable StorageError", async () => {
    const s = s3Storage({ bucket: "no-such-bucket", clientConfig: server.clientConfig(), verifyConditionalWrites: false });
    await expect(s.getSession("x")).rejects.toSatisfy((e: unknown) => StorageError.isInstance(e) && /bucket "no-such-bucket" not found/.test(String(e)));
    await s.close();
  });
});
