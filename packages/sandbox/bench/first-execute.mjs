/**
 * Issue 18's "a new process's first `execute` with a warm disk cache", measured one way
 * for every bench that reports it (the Python bench, the faststart memory section):
 *
 *   a new `node` process runs `import { createSandbox } from "llm-wasm-sandbox"`, then
 *   `createSandbox({ runtime })` on the default host (warm disk cache, disk storage in a
 *   fresh working directory), then `execute` of `print(1)`; the number is the ms from the
 *   process's start (`performance.timeOrigin`) to the result (`first-execute-child.mjs`).
 *
 * Node's own boot is the baseline, measured the same way in the same run, interleaved:
 * the first line of an empty ES module file. One unmeasured process first warms the cache
 * (and whatever else a first process leaves for the next). Children run at this process's
 * priority. Prints a summary, then one line of JSON (the last line).
 *
 *     node bench/first-execute.mjs [runtime] [rounds]       (default: python 9)
 *
 * `LLM_SANDBOX_CACHE_DIR` picks the cache directory (default: the library's own).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const runtime = process.argv[2] ?? "python";
const rounds = Number(process.argv[3] ?? 9);
const TARGET_MS = 300;
const child = fileURLToPath(new URL("first-execute-child.mjs", import.meta.url));
const DEFINITION =
  `new process → import { createSandbox } from "llm-wasm-sandbox" → createSandbox({ runtime: "${runtime}" }) (default host: warm disk cache, disk storage) ` +
  "→ first execute(print(1)); ms from the process's start (performance.timeOrigin) to the result";

const work = await mkdtemp(join(tmpdir(), "first-execute-"));
const firstLine = join(work, "first-line.mjs");
await writeFile(firstLine, 'process.stdout.write(`${JSON.stringify({ firstLineAtMs: performance.now() })}\\n`);\n');

/** One process of `file` in a fresh working directory; its JSON line. */
async function spawnOne(file, args, index) {
  const cwd = await mkdtemp(join(work, `p${index}-`));
  const { stdout } = await run(process.execPath, [file, ...args], { cwd, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

const loadBefore = loadavg()[0];
await spawnOne(child, [runtime], -1); // warms the cache
const samples = { node: [], first: [] };
for (let i = 0; i < rounds; i++) {
  samples.node.push(await spawnOne(firstLine, [], 2 * i));
  samples.first.push(await spawnOne(child, [runtime], 2 * i + 1));
}
const loadAfter = loadavg()[0];
await rm(work, { recursive: true, force: true });

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const r1 = (n) => Math.round(n * 10) / 10;
const result = samples.first.map((s) => s.resultAtMs);
const summary = {
  definition: DEFINITION,
  runtime,
  processes: rounds,
  loadAverage: [r1(loadBefore), r1(loadAfter)],
  nodeFirstLineMs: r1(median(samples.node.map((s) => s.firstLineAtMs))),
  importedAtMs: r1(median(samples.first.map((s) => s.importedAtMs))),
  createdAtMs: r1(median(samples.first.map((s) => s.createdAtMs))),
  resultAtMs: r1(median(result)),
  resultRangeMs: [r1(Math.min(...result)), r1(Math.max(...result))],
  cpuMs: r1(median(samples.first.map((s) => s.cpuMs))),
  targetMs: TARGET_MS,
  met: median(result) <= TARGET_MS,
};
process.stdout.write(
  `## a new process's first execute (issue 18; medians of ${rounds} processes, load ${summary.loadAverage.join(" → ")})\n` +
    `definition: ${DEFINITION}\n` +
    `baseline: node's boot (an empty ES module's first line) ${summary.nodeFirstLineMs} ms\n` +
    `${runtime}: result at ${summary.resultAtMs} ms (${summary.resultRangeMs.join("–")}), package imported at ${summary.importedAtMs}, ` +
    `sandbox created at ${summary.createdAtMs}; process CPU ${summary.cpuMs} ms [target ≤ ${TARGET_MS} ms: ${summary.met ? "met" : "MISSED"}]\n` +
    `${JSON.stringify(summary)}\n`,
);
