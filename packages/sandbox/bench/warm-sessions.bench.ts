/**
 * `pnpm bench` — warm sessions (issue 19, `keepAlive`), through the public API:
 *
 * 1. Per runtime, interleaved in one run on memory storage: the next execute of
 *    `x += 1; print(x)` in a keepAlive session (warm: the live interpreter continues), the
 *    same program run cold (a fresh instance from the runtime's snapshot), and hello cold.
 *    Medians of the wall time of `sandbox.execute` and of the guest's own `durationMs`
 *    (worker dispatch to exit). Target: the warm execute's guest time ≤ 1 ms beyond the
 *    code itself. Baseline in the same run: one message round trip to an idle worker
 *    thread (the two thread handoffs every execution on a worker pays, which the load of
 *    a shared machine inflates); the overhead is reported against it.
 * 2. RSS per live session: a fresh process per runtime keeps LIVE_SESSIONS live sessions
 *    after one cold run; (RSS after − RSS before) / LIVE_SESSIONS.
 *
 * Writes bench-results/warm-sessions-*.json (repository root).
 */
import { execFile } from "node:child_process";
import { Worker } from "node:worker_threads";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createSandbox, createSandboxHost, memoryStorage, type Sandbox } from "llm-wasm-sandbox";
import { HELLO } from "./hello.js";
import { interleaved, median, type Case } from "./interleave.js";

const run = promisify(execFile);
const RUNTIMES = ["javascript", "lua", "ruby", "python"] as const;
const ROUNDS = Number(process.env["WARM_ROUNDS"] ?? 25);
const LIVE_SESSIONS = Number(process.env["WARM_LIVE_SESSIONS"] ?? 8);
const PROBE_ROUNDS = Number(process.env["WARM_PROBE_ROUNDS"] ?? 3);
const here = fileURLToPath(new URL(".", import.meta.url));

/** `x += 1; print(x)` per language, and the definition of x it continues. */
const STEP: Record<(typeof RUNTIMES)[number], { define: string; step: string; cold: string }> = {
  javascript: { define: "var x = 0;", step: "x += 1; console.log(x)", cold: "var x = 0; x += 1; console.log(x)" },
  lua: { define: "x = 0", step: "x = x + 1; print(x)", cold: "x = 0; x = x + 1; print(x)" },
  ruby: { define: "x = 0", step: "x += 1; puts x", cold: "x = 0; x += 1; puts x" },
  python: { define: "x = 0", step: "x += 1\nprint(x)", cold: "x = 0\nx += 1\nprint(x)" },
};

const work = await mkdtemp(join(tmpdir(), "warm-bench-"));
const cacheDir = join(work, "cache");
const host = createSandboxHost({ cacheDir, storage: memoryStorage() });
const timed = (name: string, sandbox: Sandbox, code: string, warm: boolean) => async (): Promise<Record<string, number>> => {
  const r = await sandbox.execute(code);
  if (!r.success || r.warm !== warm) throw new Error(`${name}: success=${r.success} warm=${r.warm} ${r.stderr} ${r.notes.join(" ")}`);
  return { guestMs: r.durationMs };
};
// An idle thread that answers each message: the round trip a warm execution cannot avoid.
const echo = new Worker('require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(m))', { eval: true });
const roundTrip = (): Promise<void> =>
  new Promise((resolve) => {
    echo.once("message", () => resolve());
    echo.postMessage(1);
  });
const cases: Case[] = [{ name: "worker thread message round trip (baseline)", fn: roundTrip }];
for (const runtime of RUNTIMES) {
  const kept = await createSandbox({ runtime, host, keepAlive: true });
  const define = await kept.execute(STEP[runtime].define);
  if (!define.success) throw new Error(`${runtime}: ${define.stderr}`);
  const cold = await createSandbox({ runtime, host });
  cases.push(
    { name: `${runtime} x += 1, keepAlive (warm)`, fn: timed(`${runtime} warm`, kept, STEP[runtime].step, true), target: { maxMedian: { guestMs: 1 } } },
    { name: `${runtime} x = 0; x += 1, cold`, fn: timed(`${runtime} cold`, cold, STEP[runtime].cold, false) },
    { name: `${runtime} hello, cold`, fn: timed(`${runtime} hello`, cold, HELLO[runtime]!, false) },
  );
}
const rows = await interleaved("warm-sessions", cases, { rounds: ROUNDS, warmup: 3, baseline: "worker thread message round trip (baseline)" });
const hop = rows[0]!.medianMs;
for (const runtime of RUNTIMES) {
  const warm = rows.find((r) => r.name.startsWith(`${runtime} x += 1`))!;
  const cold = rows.find((r) => r.name.startsWith(`${runtime} x = 0`))!;
  const guest = warm.extra["guestMs"] ?? Number.NaN;
  process.stdout.write(
    `${runtime}: warm execute ${warm.medianMs.toFixed(2)} ms (guest ${guest} ms, ${(guest - hop).toFixed(2)} ms beyond one thread round trip) vs cold ${cold.medianMs.toFixed(2)} ms (guest ${cold.extra["guestMs"]} ms): ×${(cold.medianMs / warm.medianMs).toFixed(1)} faster [target: ≤ 1 ms beyond the code]\n`,
  );
}
await echo.terminate();
await host.close();

// ---- 2. RSS per live session -------------------------------------------------------------
const probe = join(here, "warm-probe.mjs");
const memory: Record<string, unknown>[] = [];
process.stdout.write(`\n## warm-sessions-memory (fresh process per runtime, ${LIVE_SESSIONS} live sessions, medians of ${PROBE_ROUNDS}; MiB)\n`);
for (const runtime of RUNTIMES) {
  const samples: { beforeMiB: number; afterMiB: number; perSessionMiB: number }[] = [];
  for (let i = 0; i < PROBE_ROUNDS; i++) {
    const { stdout } = await run(process.execPath, ["--expose-gc", probe, cacheDir, runtime, String(LIVE_SESSIONS)], { maxBuffer: 1 << 24 });
    samples.push(JSON.parse(stdout) as (typeof samples)[number]);
  }
  const row = {
    runtime,
    liveSessions: LIVE_SESSIONS,
    beforeMiB: median(samples.map((s) => s.beforeMiB)),
    afterMiB: median(samples.map((s) => s.afterMiB)),
    perSessionMiB: median(samples.map((s) => s.perSessionMiB)),
  };
  memory.push(row);
  process.stdout.write(`${runtime.padEnd(12)} rss ${row.beforeMiB} → ${row.afterMiB} with ${LIVE_SESSIONS} live sessions: ${row.perSessionMiB} MiB per live session\n`);
}
const outDir = process.env["BENCH_RESULTS_DIR"] ?? join(process.env["INIT_CWD"] ?? process.cwd(), "bench-results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "warm-sessions-memory.json"), `${JSON.stringify({ suite: "warm-sessions-memory", rows: memory }, null, 2)}\n`);
await rm(work, { recursive: true, force: true });
