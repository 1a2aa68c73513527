/**
 * Child process of the fast-start benchmark: a fresh Node process that imports the
 * package, runs hello in each runtime named on the command line (in that order, on one
 * host over memory storage) and prints JSON: RSS before and after each runtime, the first
 * and second execute's wall time, the longest event-loop block during the first execute
 * (host immunity while a runtime is prepared), and where each snapshot came from.
 *
 *     node dist/bench/probe.mjs <cacheDir> ruby,python,... [prewarm|cold]
 *
 * With a third argument the host has one worker thread (pre-warming the runtimes, or not)
 * and the probe also reports the RSS once the thread is idle after the runs (its refill
 * built) and whether one more run took a pre-warmed instance: the difference between the
 * two modes is what a waiting instance costs. Without it, the probe also reports what the
 * process holds once its threads have been idle long enough to collect their garbage.
 */
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createSandbox, createSandboxHost, memoryStorage } from "llm-wasm-sandbox";
import { HELLO } from "./hello.js";

const [cacheDir, list, mode] = process.argv.slice(2);
if (!cacheDir || !list) throw new Error("usage: probe.mjs <cacheDir> <runtime,...>");
/** Idle time before the held RSS is read: the threads' late idle collection (3 s at most, wasi-host pool/idle-collect.ts) plus its own time under load. */
const HOLD_WAIT_MS = 5000;
const mib = (): number => Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;

const baseRssMiB = mib();
const names = list.split(",");
const host = createSandboxHost({ cacheDir, storage: memoryStorage(), ...(mode ? { pool: { size: 1 }, prewarm: mode === "prewarm" ? names : [] } : {}) });
const runtimes: Record<string, unknown>[] = [];
for (const runtime of names) {
  const sandbox = await createSandbox({ runtime, host });
  const code = HELLO[runtime];
  if (code === undefined) throw new Error(`no hello for ${runtime}`);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let t0 = performance.now();
  const first = await sandbox.execute(code);
  const firstMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 20));
  loop.disable();
  t0 = performance.now();
  const second = await sandbox.execute(code);
  const secondMs = performance.now() - t0;
  if (first.stdout !== "hello\n" || second.stdout !== "hello\n") throw new Error(`${runtime}: unexpected output ${JSON.stringify(first.stdout)} / ${first.stderr}`);
  runtimes.push({ runtime, firstMs, secondMs, maxEventLoopBlockMs: loop.max / 1e6, rssAfterMiB: mib() });
}
// What the process holds once its threads are idle: each collects a finished run's garbage
// within 3 s of idleness (wasi-host pool/idle-collect.ts).
let heldRssMiB: number | null = null;
if (!mode) {
  await new Promise((resolve) => setTimeout(resolve, HOLD_WAIT_MS));
  heldRssMiB = mib();
}
let idle: { idleRssMiB: number; nextPrewarmed: boolean } | null = null;
if (mode) {
  // Time for the thread to build its refill (it does so as soon as it is idle).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRssMiB = mib();
  const last = names.at(-1)!;
  const next = await (await createSandbox({ runtime: last, host })).execute(HELLO[last]!);
  idle = { idleRssMiB, nextPrewarmed: next.prewarmed };
}
const origins = [...host.runner.snapshotOrigins];
await host.close();
process.stdout.write(`${JSON.stringify({ baseRssMiB, runtimes, origins, heldRssMiB, finalRssMiB: mib(), maxRssMiB: peakRssMiB(), ...idle })}\n`);
process.exit(0);

/** VmHWM: the process's peak RSS (getrusage's maxRSS keeps the forking parent's peak on Linux). */
function peakRssMiB(): number {
  const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? Number.NaN);
  return Math.round(kb / 102.4) / 10;
}
