/**
 * Load test (loopback only, bounded): N execute_code calls over Streamable HTTP from C
 * concurrent clients against a freshly spawned `llm-wasm-mcp`; reports throughput,
 * latency percentiles and the server's peak RSS (sampled from /proc).
 *   node --import tsx bench/load.ts        (or: pnpm --filter @llm-wasm-sandbox/mcp-server bench)
 * Env: LOAD_CALLS (default 100), LOAD_CLIENTS (default 10).
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { call, httpClient, spawnHttpServer, tempDir } from "../test/helpers.js";

const CALLS = Number(process.env.LOAD_CALLS ?? 100);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 10);

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const dir = await tempDir("mcp-load-");
// One token per client: limits are per client, and on one machine every client shares an address.
const tokens = Array.from({ length: CLIENTS }, (_, i) => `bench-client-${i}-0123456789abcdef`);
const server = await spawnHttpServer(["--storage-dir", dir.path, "--rate-limit", "100000", "--runtimes", "python,javascript", "--log-level", "warn", "--auth-token", tokens.join(",")]);
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.child.pid!))), 50);
try {
  const clients = await Promise.all(tokens.map((t) => httpClient(server.url, t)));
  // Warm both runtimes so the numbers measure steady state, not the first compile.
  await call(clients[0]!, "execute_code", { code: "print(0)", language: "python" });
  await call(clients[0]!, "execute_code", { code: "console.log(0)", language: "javascript" });
  let next = 0;
  let wrong = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      for (let i = next++; i < CALLS; i = next++) {
        const lang = i % 2 === 0 ? "python" : "javascript";
        const code = lang === "python" ? `print(sum(range(${i})))` : `console.log(${(i * (i - 1)) / 2})`;
        const t = performance.now();
        const { stdout } = await call(c, "execute_code", { code, language: lang });
        latencies.push(performance.now() - t);
        if (stdout !== `${(i * (i - 1)) / 2}\n`) wrong++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!);
  const result = {
    calls: CALLS,
    clients: CLIENTS,
    wrongResults: wrong,
    seconds: Math.round(seconds * 100) / 100,
    throughputPerSecond: Math.round((CALLS / seconds) * 10) / 10,
    latencyMs: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99) },
    serverPeakRssMiB: Math.round(peak / 1048576),
  };
  console.log(JSON.stringify(result, null, 2));
  const out = join(process.env.INIT_CWD ?? process.cwd(), "bench-results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "mcp-load.json"), `${JSON.stringify({ suite: "mcp-load", date: new Date().toISOString(), ...result }, null, 2)}\n`);
  await Promise.all(clients.map((c) => c.close()));
  if (wrong > 0) process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await server.stop();
  await dir.dispose();
}
