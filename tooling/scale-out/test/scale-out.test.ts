/**
 * Scale-out, tested as deployed: three `llm-wasm-mcp --transport http` processes
 * share one bucket on a real S3-compatible server (Ceph RGW) behind a real load
 * balancer (HAProxy), all on loopback. Ten clients make thirty `execute_code`
 * calls each, every call appending one line to one of two shared sessions, while
 * a seeded random server is SIGKILLed and restarted, twice, and a proxy in front
 * of the load balancer loses the reply of every 15th call (the call ran; the
 * client retries it with the same idempotency key). Every acknowledged append must
 * be in its session exactly once, and every session whole.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CephRgw, type FaultProxy, type Haproxy, startCephRgw, startFaultProxy, startHaproxy } from "@llm-wasm-sandbox/ceph-rgw";
import { s3Storage, type S3Storage } from "@llm-wasm-sandbox/storage-s3";
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type McpHost, mcpFleet } from "./mcp-fleet.js";
import { type Acknowledged, RetryingClient } from "./retrying-client.js";

const CLIENTS = 10;
const CALLS = 30;
const SESSIONS = ["shared-a", "shared-b"];
const BUCKET = "scale-out";
const PREFIX = "sessions";
/** After this many acknowledged calls, a random server is killed (and restarted 1.5 s later). */
const KILL_AT = [90, 190];
/** Between the clients and the load balancer, the reply of every LOSE_EVERY-th tool call is lost: the call ran, the client never heard. */
const LOSE_EVERY = 15;

/** Appends its key as one line to /app/log.txt (a read-modify-write: a lost update would drop a line). */
const appendCode = (key: string): string =>
  `const f = "/app/log.txt"; const before = fileExists(f) ? readText(f) : ""; writeText(f, before + ${JSON.stringify(key)} + "\\n"); console.log(before.split("\\n").length)`;

/** A small seeded PRNG (mulberry32), so the kill schedule reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("scale-out: 3 MCP hosts behind HAProxy on one Ceph RGW bucket, hosts SIGKILLed mid-run", () => {
  let ceph: CephRgw;
  let hosts: McpHost[];
  let lb: Haproxy;
  let lossy: FaultProxy;
  let storage: S3Storage;
  let logDir: string;

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), "llm-sandbox-scale-out-"));
    ceph = await startCephRgw();
    const clientConfig = { endpoint: ceph.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey } };
    const s3 = new S3Client(clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    storage = s3Storage({ bucket: BUCKET, prefix: PREFIX, clientConfig });
    for (const id of SESSIONS) await storage.createSession(testSessionMetadata(id, { runtime: "javascript" }));
    hosts = await mcpFleet(3, { endpoint: ceph.endpoint, bucket: BUCKET, prefix: PREFIX, accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey }, logDir);
    lb = await startHaproxy({ backends: hosts.map((h) => h.port), stickyHeader: "mcp-session-id" });
    lossy = await startFaultProxy(lb.endpoint);
    let calls = 0;
    // Tool calls are the POSTs of an MCP session carrying code (an "initialized" notification is far smaller).
    lossy.setRule((r) => (r.method === "POST" && r.headers["mcp-session-id"] !== undefined && Number(r.headers["content-length"] ?? 0) > 200 && ++calls % LOSE_EVERY === 0 ? { kind: "drop-reply" } : { kind: "forward" }));
  });

  afterAll(async () => {
    await lossy?.close();
    await lb?.stop();
    for (const h of hosts ?? []) await h.stop();
    await storage?.close();
    await ceph?.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  it(`${CLIENTS} clients × ${CALLS} appends: every acknowledged append present exactly once, no torn session`, async () => {
    const rand = prng(16);
    const acked: Acknowledged[] = [];
    const kills: string[] = [];
    const started = Date.now();
    const chaos: Array<Promise<void>> = [];
    const onAck = (a: Acknowledged): void => {
      acked.push(a);
      if (process.env.SCALE_OUT_DEBUG && a.ms > 1500) console.log(`slow ${a.key}: ${a.ms} ms, ${a.attempts} attempts, at ${Date.now() - started} ms`);
      if (KILL_AT.includes(acked.length)) {
        const victim = hosts[Math.floor(rand() * hosts.length)] as McpHost;
        kills.push(victim.name);
        if (process.env.SCALE_OUT_DEBUG) console.log(`kill ${victim.name} at ${Date.now() - started} ms`);
        chaos.push(
          (async () => {
            await victim.kill();
            await new Promise((r) => setTimeout(r, 1500));
            await victim.start();
          })(),
        );
      }
    };
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const client = new RetryingClient(`${lossy.endpoint}/mcp`);
        try {
          for (let j = 0; j < CALLS; j++) {
            const key = `c${c}-${j}`;
            onAck(await client.execute({ code: appendCode(key), language: "javascript", session_id: SESSIONS[(c + j) % SESSIONS.length] as string, idempotency_key: key }));
          }
        } finally {
          await client.close();
        }
      }),
    );
    const elapsedS = (Date.now() - started) / 1000;
    await Promise.all(chaos);

    // Every session whole: its listing, sizes and every byte consistent, nothing it references missing.
    const lines: string[] = [];
    const logs = new Map<string, string[]>();
    let executions = 0;
    let torn = 0;
    for (const id of SESSIONS) {
      const snap = await storage.snapshot(id);
      const files = snap.entries.filter((e) => e.type === "file");
      const sizes = await Promise.all(files.map(async (f) => (await snap.read(f.path).catch(() => null))?.byteLength ?? -1));
      const whole = snap.metadata.fileCount === files.length && snap.metadata.sizeBytes === files.reduce((n, e) => n + e.size, 0) && files.every((f, i) => sizes[i] === f.size);
      if (!whole) torn++;
      const log = new TextDecoder().decode(await snap.read("log.txt")).split("\n").filter(Boolean);
      logs.set(id, log);
      lines.push(...log);
      executions += snap.metadata.executionCount;
    }
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
    const lost = acked.filter((a) => !counts.has(a.key)).length;
    const duplicated = [...counts.values()].filter((k) => k > 1).length;
    const foreign = [...counts.keys()].filter((l) => !acked.some((a) => a.key === l)).length;
    const retried = acked.filter((a) => a.attempts > 1).length;
    const replayed = acked.filter((a) => a.replayed).length;
    const latency = acked.map((a) => a.ms).sort((a, b) => a - b);
    const median = latency[Math.floor(latency.length / 2)] ?? 0;
    const p95 = latency[Math.floor(latency.length * 0.95)] ?? 0;
    // A duplicated append: where its copies are in the log (how many commits apart) and how its call went.
    for (const [key, k] of counts) {
      if (k < 2) continue;
      const positions = [...logs].flatMap(([id, log]) => log.flatMap((l, i) => (l === key ? [`${id}#${i}`] : [])));
      console.log(`duplicated ${key} at ${positions.join(", ")}: ${JSON.stringify(acked.find((a) => a.key === key))}`);
    }
    // The numbers the README's "Scaling out" section quotes.
    console.log(
      `scale-out: ${acked.length} acknowledged in ${elapsedS.toFixed(1)} s = ${(acked.length / elapsedS).toFixed(1)} calls/s (latency median ${median} ms, p95 ${p95} ms); ` +
        `killed ${kills.join(", ")}; retried ${retried}, replayed ${replayed}; lost ${lost}, duplicated ${duplicated}, foreign ${foreign}, torn ${torn}`,
    );
    expect(acked).toHaveLength(CLIENTS * CALLS);
    expect({ lost, duplicated, foreign, torn }).toEqual({ lost: 0, duplicated: 0, foreign: 0, torn: 0 });
    expect(lines).toHaveLength(CLIENTS * CALLS);
    // Each append was committed by exactly one run; a replay commits nothing.
    expect(executions).toBe(CLIENTS * CALLS);
    expect(kills).toHaveLength(KILL_AT.length);
    // Lost replies were retried and answered from the stored result, not run again.
    expect(replayed).toBeGreaterThan(0);
  });
});
