/**
 * Interleaved measuring for the fast-start benchmarks: every round runs each case once,
 * in turn, so a load spike on a shared machine hits all cases alike; medians and ratios
 * to a named baseline are printed and written as JSON next to the other suites'.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * One measured case: `fn` runs here, timed around the call, and returns extra numbers to
 * report (e.g. peak RSS); or `timed` runs it somewhere else (another process) and returns
 * its time there, in ms.
 */
export type Case = {
  readonly name: string;
  /** What the issue asks of this case (reported, never asserted). */
  readonly target?: { readonly maxMedianMs?: number; readonly maxRatio?: number; readonly maxMedian?: Readonly<Record<string, number>> };
} & (
  | { readonly fn: () => Promise<Record<string, number> | void> | Record<string, number> | void; readonly timed?: never }
  | { readonly timed: () => Promise<number>; readonly fn?: never }
);

/** A case's medians. */
export interface Row {
  readonly name: string;
  readonly medianMs: number;
  readonly ratio: number | null;
  readonly extra: Record<string, number>;
  readonly samples: number;
  readonly target: string | null;
  readonly met: boolean | null;
}

/**
 * Runs `rounds` interleaved rounds (after `warmup` unmeasured ones) and reports medians.
 * `settleMs` waits (unmeasured) after each case, so work a case leaves running in the
 * background (a worker thread building its next pre-warmed instance) is not timed as
 * part of the next case.
 */
export async function interleaved(suite: string, cases: readonly Case[], options: { rounds: number; warmup?: number; baseline?: string; settleMs?: number }): Promise<Row[]> {
  const times = cases.map(() => [] as number[]);
  const extras = cases.map(() => new Map<string, number[]>());
  for (let round = -(options.warmup ?? 1); round < options.rounds; round++) {
    for (const [i, c] of cases.entries()) {
      let ms: number;
      let extra: Record<string, number> | void = undefined;
      if (c.timed !== undefined) ms = await c.timed();
      else {
        const t0 = performance.now();
        extra = await c.fn();
        ms = performance.now() - t0;
      }
      if (options.settleMs) await new Promise((resolve) => setTimeout(resolve, options.settleMs));
      if (round < 0) continue;
      times[i]!.push(ms);
      for (const [k, v] of Object.entries(extra ?? {})) extras[i]!.set(k, [...(extras[i]!.get(k) ?? []), v]);
    }
  }
  const baseIndex = options.baseline === undefined ? -1 : cases.findIndex((c) => c.name === options.baseline);
  const baseMedian = baseIndex < 0 ? null : median(times[baseIndex]!);
  const rows = cases.map((c, i): Row => {
    const med = median(times[i]!);
    const extra = Object.fromEntries([...extras[i]!].map(([k, v]) => [k, round3(median(v))]));
    const ratio = baseMedian === null || i === baseIndex ? null : round3(med / baseMedian);
    const t = c.target;
    const parts: string[] = [];
    let met: boolean | null = null;
    const check = (label: string, ok: boolean): void => {
      parts.push(label);
      met = (met ?? true) && ok;
    };
    if (t?.maxMedianMs !== undefined) check(`median ≤ ${t.maxMedianMs} ms`, med <= t.maxMedianMs);
    if (t?.maxRatio !== undefined) check(`ratio ≤ ${t.maxRatio}`, ratio !== null && ratio <= t.maxRatio);
    for (const [k, limit] of Object.entries(t?.maxMedian ?? {})) check(`${k} ≤ ${limit}`, (extra[k] ?? Infinity) <= limit);
    return { name: c.name, medianMs: round3(med), ratio, extra, samples: times[i]!.length, target: parts.length ? parts.join(", ") : null, met };
  });
  print(suite, options.baseline ?? null, rows);
  write(suite, options.baseline ?? null, rows);
  return rows;
}

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function print(suite: string, baseline: string | null, rows: readonly Row[]): void {
  process.stdout.write(`\n## ${suite}${baseline ? ` (baseline: ${baseline})` : ""}, interleaved\n`);
  for (const r of rows) {
    const extra = Object.entries(r.extra).map(([k, v]) => ` ${k} ${v}`).join("");
    const ratio = r.ratio === null ? "" : ` ×${r.ratio.toFixed(2)}`;
    const target = r.target ? ` [${r.target}: ${r.met ? "met" : "MISSED"}]` : "";
    process.stdout.write(`${r.name.padEnd(56)} median ${r.medianMs.toFixed(2).padStart(9)} ms${ratio}${extra}${target}\n`);
  }
}

function write(suite: string, baseline: string | null, rows: readonly Row[]): void {
  const dir = process.env["BENCH_RESULTS_DIR"] ?? join(process.env["INIT_CWD"] ?? process.cwd(), "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite.replace(/[^A-Za-z0-9_.-]+/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ suite, baseline, interleaved: true, date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  process.stdout.write(`(results written to ${file})\n`);
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
