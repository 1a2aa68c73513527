import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Bench } from "tinybench";

/** One measured function. */
export interface BenchCase {
  readonly name: string;
  readonly fn: () => unknown | Promise<unknown>;
  /** Ratio to the baseline this case should stay under (reported, never asserted). */
  readonly maxRatio?: number;
  /** Median (ms) this case should stay under (reported, never asserted). */
  readonly maxMedianMs?: number;
}

/** Options of `runComparison`. */
export interface ComparisonOptions {
  /** Suite name; also the JSON file name under `bench-results/`. */
  readonly suite: string;
  /** The named baseline every ratio is computed against; omit for absolute numbers only. */
  readonly baseline?: BenchCase;
  readonly cases: readonly BenchCase[];
  /** Minimum measuring time per case, ms (default 2000). */
  readonly timeMs?: number;
  /** Minimum iterations per case (default 10). */
  readonly iterations?: number;
  /** Directory for JSON results (default `<repo>/bench-results` or `BENCH_RESULTS_DIR`). */
  readonly outDir?: string;
}

/** One row of a comparison's results. */
export interface ComparisonRow {
  readonly name: string;
  readonly medianMs: number;
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly samples: number;
  /** Median over the baseline's median; null for the baseline itself or without one. */
  readonly ratio: number | null;
  readonly target: string | null;
  /** Whether the target (if any) was met. */
  readonly met: boolean | null;
}

/**
 * Runs the baseline and the cases with tinybench, prints medians and ratios to
 * the baseline as a table, and writes them as JSON. Never throws on a missed
 * target: benchmarks report, tests assert.
 */
export async function runComparison(options: ComparisonOptions): Promise<ComparisonRow[]> {
  const bench = new Bench({ time: options.timeMs ?? 2000, iterations: options.iterations ?? 10, warmupIterations: 2 });
  const all = [...(options.baseline ? [options.baseline] : []), ...options.cases];
  for (const c of all) bench.add(c.name, c.fn);
  await bench.run();
  const median = (name: string): number => {
    const task = bench.getTask(name);
    const r = task?.result as { latency?: { p50?: number } } | undefined;
    return r?.latency?.p50 ?? Number.NaN;
  };
  const baseMedian = options.baseline ? median(options.baseline.name) : null;
  const rows = all.map((c): ComparisonRow => {
    const r = bench.getTask(c.name)?.result as { latency?: { p50?: number; mean?: number; p99?: number; samples?: unknown[] } } | undefined;
    const med = median(c.name);
    const ratio = baseMedian && c !== options.baseline ? med / baseMedian : null;
    const targets = [c.maxRatio !== undefined ? `ratio ≤ ${c.maxRatio}` : null, c.maxMedianMs !== undefined ? `median ≤ ${c.maxMedianMs} ms` : null].filter(Boolean);
    const met = targets.length === 0 ? null : (c.maxRatio === undefined || (ratio !== null && ratio <= c.maxRatio)) && (c.maxMedianMs === undefined || med <= c.maxMedianMs);
    return {
      name: c.name,
      medianMs: round(med),
      meanMs: round(r?.latency?.mean ?? Number.NaN),
      p99Ms: round(r?.latency?.p99 ?? Number.NaN),
      samples: r?.latency?.samples?.length ?? 0,
      ratio: ratio === null ? null : round(ratio),
      target: targets.length ? targets.join(", ") : null,
      met,
    };
  });
  printTable(options.suite, options.baseline?.name ?? null, rows);
  writeResults(options, rows);
  return rows;
}

function printTable(suite: string, baseline: string | null, rows: readonly ComparisonRow[]): void {
  process.stdout.write(`\n## ${suite}${baseline ? ` (baseline: ${baseline})` : ""}\n`);
  for (const r of rows) {
    const ratio = r.ratio === null ? "" : ` ×${r.ratio.toFixed(2)}`;
    const target = r.target ? ` [${r.target}: ${r.met ? "met" : "MISSED"}]` : "";
    process.stdout.write(`${r.name.padEnd(48)} median ${r.medianMs.toFixed(2).padStart(9)} ms${ratio}${target}\n`);
  }
}

function writeResults(options: ComparisonOptions, rows: readonly ComparisonRow[]): void {
  const dir = options.outDir ?? process.env.BENCH_RESULTS_DIR ?? join(findRepoRoot(), "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${options.suite.replace(/[^A-Za-z0-9_.-]+/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ suite: options.suite, baseline: options.baseline?.name ?? null, date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  process.stdout.write(`(results written to ${file})\n`);
}

function findRepoRoot(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
