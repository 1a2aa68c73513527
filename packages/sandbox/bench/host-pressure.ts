/**
 * Host pressure (issue 13): how the host's main thread and memory fare while 4 hostile
 * guests of one kind run beside 20 `print(1)` calls, next to the same 20 calls with no
 * hostile guest — measured in the same process, each attack right after its own baseline
 * (interleaved), because this machine's load drifts. Reports the event loop's p99 and
 * longest delay, peak RSS, and the `print(1)` latencies; writes bench-results/host-pressure.json.
 *   pnpm --filter llm-wasm-sandbox bench      Env: PRESSURE_ONLY=13.3,13.5 runs a subset.
 * The host gets 5 pool threads, one per concurrent guest, started and warmed (each runtime
 * loaded on every thread) before anything is measured, so the quiet calls never wait for a
 * thread and no scenario pays a thread's start (the 2-thread default would measure queueing,
 * not pressure).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createSandbox, createSandboxHost, memoryStorage, type SandboxHost } from "../src/index.js";
import { HOSTILE_GUESTS, runHostile, type HostileGuest } from "./host-pressure-attacks.js";

const HOSTILE = 4;
const QUIET_CALLS = 20;
const MiB = 1 << 20;

interface Figures {
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  readonly peakRssMiB: number;
  readonly print1MedianMs: number;
  readonly print1P99Ms: number;
  readonly outcomes: readonly string[];
}

const host = createSandboxHost({ pool: { size: HOSTILE + 1, minThreads: HOSTILE + 1 } });
const quiet = await createSandbox({ runtime: "python", storage: memoryStorage(), host });

/** One scenario: 20 sequential print(1) calls, with `guest` x4 running meanwhile (or alone). */
async function scenario(guest: HostileGuest | null, round: number): Promise<Figures> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  loop.enable();
  const hostile = guest === null ? [] : Array.from({ length: HOSTILE }, (_, i) => runHostile(guest, round * HOSTILE + i, host));
  const latencies: number[] = [];
  for (let i = 0; i < QUIET_CALLS; i++) {
    const started = performance.now();
    const r = await quiet.execute("print(1)");
    latencies.push(performance.now() - started);
    if (r.stdout !== "1\n") throw new Error(`print(1) printed ${JSON.stringify(r.stdout)}: ${r.stderr}`);
  }
  const outcomes = await Promise.all(hostile);
  await new Promise((resolve) => setTimeout(resolve, 20));
  loop.disable();
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  return {
    loopP99Ms: round1(loop.percentile(99) / 1e6),
    loopMaxMs: round1(loop.max / 1e6),
    peakRssMiB: Math.round(Math.max(peak, process.memoryUsage().rss) / MiB),
    print1MedianMs: round1(latencies[Math.floor(latencies.length / 2)]!),
    print1P99Ms: round1(latencies[latencies.length - 1]!),
    outcomes: [...new Set(outcomes)],
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

const only = process.env.PRESSURE_ONLY?.split(",");
const guests = HOSTILE_GUESTS.filter((g) => only === undefined || only.includes(g.id));
await warm("python", host); // the quiet calls' runtime, on every thread
const rows: Array<{ id: string; title: string; baseline: Figures; hostile: Figures }> = [];
for (const [round, guest] of guests.entries()) {
  await warm(guest.runtime, host);
  const baseline = await scenario(null, round);
  const hostile = await scenario(guest, round);
  rows.push({ id: guest.id, title: guest.title, baseline, hostile });
  console.log(
    `${guest.id.padEnd(6)} loop p99 ${hostile.loopP99Ms} ms (baseline ${baseline.loopP99Ms}), max ${hostile.loopMaxMs} (${baseline.loopMaxMs}); ` +
      `peak RSS ${hostile.peakRssMiB} MiB (${baseline.peakRssMiB}); print(1) median ${hostile.print1MedianMs} ms (${baseline.print1MedianMs}); hostile: ${hostile.outcomes.join(",")}`,
  );
}

console.log("\n| attack | loop p99 ms (baseline) | loop max ms (baseline) | peak RSS MiB (baseline) | print(1) median ms (baseline) | hostile outcome |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const { id, title, baseline: b, hostile: h } of rows) {
  console.log(
    `| ${id} ${title} | ${h.loopP99Ms} (${b.loopP99Ms}) | ${h.loopMaxMs} (${b.loopMaxMs}) | ${h.peakRssMiB} (${b.peakRssMiB}) | ${h.print1MedianMs} (${b.print1MedianMs}) | ${h.outcomes.join(", ")} |`,
  );
}
const out = join(process.env.INIT_CWD ?? process.cwd(), "bench-results");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "host-pressure.json"), `${JSON.stringify({ suite: "host-pressure", date: new Date().toISOString(), hostile: HOSTILE, quietCalls: QUIET_CALLS, rows }, null, 2)}\n`);
await host.close();

/** Loads a runtime on every pool thread (runs held open together), so neither scenario pays a first start. */
async function warm(runtime: string, on: SandboxHost): Promise<void> {
  const code = runtime === "wasm" ? '(module (memory 1) (func (export "_start")))' : "";
  await Promise.all(
    Array.from({ length: HOSTILE + 1 }, async () => {
      const sb = await createSandbox({ runtime, storage: memoryStorage(), host: on });
      await sb.execute(code);
      await sb.close();
    }),
  );
}
