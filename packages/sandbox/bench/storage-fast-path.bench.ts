/**
 * `pnpm bench` for the storage fast path (issue 19), through the public API:
 * `sandbox.execute` of a JavaScript hello that writes nothing, against the same
 * hello writing one 1 KB file, on the default disk storage (fsync on, a real
 * directory under the OS temp dir) — interleaved, one of each per round, medians.
 * Memory storage runs alongside as the floor (no disk at all). A second pass
 * times the adapter's methods and commit phases (a wrapper over the public
 * StorageAdapter plus the `onCommitPhase` hook) to say where disk milliseconds go.
 * Prints medians and ratios; writes bench-results/storage-fast-path.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DiskStorageOptions, diskStorage } from "@llm-wasm-sandbox/storage-disk";
import { closeDefaultHost, createSandbox, memoryStorage, type Sandbox, type StorageAdapter } from "llm-wasm-sandbox";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const WARMUP = 10;
const HELLO = (): string => 'console.log("hello")';
let round = 0;
/** New content every run (an unchanged file is no change, and commits nothing). */
const ONE_KB = (): string => `writeText("/app/out.txt", "${++round}".padEnd(1024, "x")); console.log("hello")`;
// dist/bench/storage-fast-path.bench.mjs → the repository root's bench-results/.
const outDir = process.env.BENCH_RESULTS_DIR ?? fileURLToPath(new URL("../../../../bench-results", import.meta.url));

interface Case {
  readonly name: string;
  readonly sandbox: Sandbox;
  readonly code: () => string;
  readonly samples: number[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2;
};
const ms = (n: number): string => `${n.toFixed(3).padStart(8)} ms`;

/** Accumulates wall time per adapter method (and per commit phase) over one execute. */
class Timings {
  readonly perRun = new Map<string, number[]>();
  #current = new Map<string, number>();
  add(key: string, t: number): void {
    this.#current.set(key, (this.#current.get(key) ?? 0) + t);
  }
  endRun(): void {
    for (const [k, v] of this.#current) this.perRun.set(k, [...(this.perRun.get(k) ?? []), v]);
    this.#current = new Map();
  }
}

/** A StorageAdapter whose async methods (and the release functions `lock()` returns) add their wall time to `timings`. */
function timed(storage: StorageAdapter, timings: Timings): StorageAdapter {
  const wrap = <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const t0 = performance.now();
      try {
        const r = await fn(...args);
        return name === "lock" ? (wrap("unlock", r as () => Promise<void>) as R) : r;
      } finally {
        timings.add(name, performance.now() - t0);
      }
    };
  return new Proxy(storage, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === "function" && typeof prop === "string" && prop !== "close" ? wrap(prop, (v as (...a: unknown[]) => Promise<unknown>).bind(target)) : v;
    },
  });
}

/** Commit phases as a disk commit passes them: time from the commit's start to each phase. */
function phaseHook(timings: Timings): NonNullable<DiskStorageOptions["onCommitPhase"]> {
  let last = 0;
  return (phase) => {
    const now = performance.now();
    if (phase === "staging") last = now;
    else if (phase !== "applied-op") {
      timings.add(`  phase → ${phase}`, now - last);
      last = now;
    }
  };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "llm-sandbox-bench-fast-path-"));
  try {
    const mk = (sessionId: string, extra: { storage: StorageAdapter }) => createSandbox({ runtime: "javascript", sessionId, createIfMissing: true, ...extra });
    const disk = diskStorage({ workspaceRoot: join(root, "default") });
    const single = diskStorage({ workspaceRoot: join(root, "single"), singleProcess: true });
    const cases: Case[] = [
      // diskStorage({ workspaceRoot }) is what createSandbox({ workspaceRoot }) uses; built here so a run can swap the adapter's build.
      { name: "disk: hello, no file (baseline)", sandbox: await mk("disk-none", { storage: disk }), code: HELLO, samples: [] },
      { name: "disk: hello + one 1 KB file", sandbox: await mk("disk-one", { storage: disk }), code: ONE_KB, samples: [] },
      { name: "disk singleProcess: hello, no file", sandbox: await mk("single-none", { storage: single }), code: HELLO, samples: [] },
      { name: "disk singleProcess: hello + one 1 KB file", sandbox: await mk("single-one", { storage: single }), code: ONE_KB, samples: [] },
      { name: "memory: hello, no file", sandbox: await mk("mem-none", { storage: memoryStorage() }), code: HELLO, samples: [] },
      { name: "memory: hello + one 1 KB file", sandbox: await mk("mem-one", { storage: memoryStorage() }), code: ONE_KB, samples: [] },
    ];
    for (let i = 0; i < WARMUP; i++) for (const c of cases) await c.sandbox.execute(c.code());
    // Interleaved: every round runs each case once, so load on the machine hits all alike.
    for (let i = 0; i < ROUNDS; i++) {
      for (const c of cases) {
        const t0 = performance.now();
        const r = await c.sandbox.execute(c.code());
        c.samples.push(performance.now() - t0);
        if (!r.success) throw new Error(`${c.name} failed: ${r.stderr}`);
      }
    }
    const base = median(cases[0]!.samples);
    process.stdout.write(`\n## storage fast path: sandbox.execute, JavaScript, ${ROUNDS} interleaved rounds (baseline: ${cases[0]!.name})\n`);
    const rows = cases.map((c) => ({ name: c.name, medianMs: median(c.samples), ratio: median(c.samples) / base, samples: c.samples.length }));
    for (const r of rows) {
      const target = r.name === "disk: hello + one 1 KB file" ? ` [target ratio ≤ 2: ${r.ratio <= 2 ? "met" : "MISSED"}]` : "";
      process.stdout.write(`${r.name.padEnd(44)} median ${ms(r.medianMs)} ×${r.ratio.toFixed(2)}${target}\n`);
    }

    // Where the disk milliseconds go: the same two disk runs over a timed adapter.
    const breakdown: Record<string, Record<string, number>> = {};
    for (const [label, code] of [
      ["no file", HELLO],
      ["one 1 KB file", ONE_KB],
    ] as const) {
      const timings = new Timings();
      const dir = join(root, `timed-${label.replace(/\W+/g, "-")}`);
      const storage = timed(diskStorage({ workspaceRoot: dir, onCommitPhase: phaseHook(timings) }), timings);
      const sb = await createSandbox({ runtime: "javascript", sessionId: "timed", createIfMissing: true, storage });
      const total: number[] = [];
      for (let i = 0; i < WARMUP + ROUNDS / 2; i++) {
        const t0 = performance.now();
        await sb.execute(code());
        if (i >= WARMUP) total.push(performance.now() - t0);
        timings.endRun();
      }
      breakdown[label] = { "execute (total)": median(total) };
      for (const [k, v] of timings.perRun) if (v.length >= ROUNDS / 4) breakdown[label]![k] = median(v.slice(-ROUNDS / 2));
    }
    process.stdout.write("\n## where the disk milliseconds go (medians per execute, disk storage, fsync on)\n");
    const keys = [...new Set(Object.values(breakdown).flatMap((b) => Object.keys(b)))];
    process.stdout.write(`${"".padEnd(28)}${"no file".padStart(12)}${"one 1 KB file".padStart(16)}\n`);
    for (const k of keys) {
      const cell = (label: string): string => (breakdown[label]?.[k] === undefined ? "—" : ms(breakdown[label]![k]!));
      process.stdout.write(`${k.padEnd(28)}${cell("no file").padStart(12)}${cell("one 1 KB file").padStart(16)}\n`);
    }
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, "storage-fast-path.json");
    writeFileSync(file, `${JSON.stringify({ suite: "storage-fast-path", baseline: cases[0]!.name, date: new Date().toISOString(), node: process.version, rounds: ROUNDS, rows, breakdown }, null, 2)}\n`);
    process.stdout.write(`(results written to ${file})\n`);
  } finally {
    await closeDefaultHost();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
