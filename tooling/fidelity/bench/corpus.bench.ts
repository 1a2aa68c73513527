/**
 * `pnpm bench` for the agent-program corpus: runs every program of every language through
 * `createSandbox` with a generous budget and prints the fuel each one needed, whether its
 * stdout matched the native interpreter's, and per language the share of the corpus the
 * default fuel budget covers, the budget covering 95 % of it, and how long an infinite
 * loop takes to spend the default budget (the wall clock must stay the backstop, not the
 * binding limit). Reports, never asserts. Writes bench-results/corpus.json and corpus.md.
 * `CORPUS_LANGUAGES=lua,ruby` limits the languages.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { closeDefaultHost, createSandbox, memoryStorage } from "llm-wasm-sandbox";
import { CORPUS_LANGUAGES, type CorpusLanguage, type CorpusRun, defaultFuelBudget, loadCorpus, runCorpusProgram } from "../src/index.js";

const MEASURE = { fuelBudget: 400_000_000_000, timeoutMs: 900_000, memoryBytes: 512 * 1024 * 1024 };
const LOOPS: Record<CorpusLanguage, string> = { python: "while True: pass", javascript: "for (;;) {}", ruby: "loop { }", lua: "while true do end" };
const LOOP_FUEL = 3_000_000_000;
const outDir = fileURLToPath(new URL("../../../../bench-results", import.meta.url));
const only = process.env.CORPUS_LANGUAGES?.split(",");
const languages = CORPUS_LANGUAGES.filter((l) => !only || only.includes(l));

const G = (n: number): string => (n / 1e9).toFixed(n < 1e9 ? 3 : 2);
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;

/** Median over three runs of the fuel-per-millisecond an infinite loop burns. */
async function loopRate(language: CorpusLanguage): Promise<number> {
  const sandbox = await createSandbox({ runtime: language, storage: memoryStorage(), policy: { fuelBudget: LOOP_FUEL, timeoutMs: 120_000 } });
  const rates: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await sandbox.execute(LOOPS[language]);
    rates.push(r.fuelConsumed / (performance.now() - t));
  }
  await sandbox.close();
  return rates.sort((a, b) => a - b)[1]!;
}

const report: Record<string, unknown> = {};
const md: string[] = ["# Agent-program corpus: fuel per program (G = 10^9 fuel units)", ""];
for (const language of languages) {
  const budget = await defaultFuelBudget(language);
  const runs: CorpusRun[] = [];
  for (const program of loadCorpus(language)) {
    const run = await runCorpusProgram(program, { policy: MEASURE });
    runs.push(run);
    const mark = run.ok ? (run.fuelConsumed <= budget ? "ok " : "OVER") : "FAIL";
    console.log(`${language.padEnd(10)} ${mark} ${program.name.padEnd(24)} ${G(run.fuelConsumed).padStart(8)} G ${run.wallMs.toFixed(0).padStart(7)} ms${run.ok ? "" : ` ${run.trapReason ?? ""} ${run.stderr.slice(-300)}`}`);
  }
  const fuels = runs.map((r) => r.fuelConsumed);
  const fits = runs.filter((r) => r.ok && r.fuelConsumed <= budget).length;
  const rate = await loopRate(language);
  const summary = {
    programs: runs.length,
    outputMatches: runs.filter((r) => r.ok).length,
    defaultFuelBudget: budget,
    passWithDefaults: fits,
    passWithDefaultsPercent: Math.round((fits / runs.length) * 1000) / 10,
    fuelMedian: quantile(fuels, 0.5),
    fuelP90: quantile(fuels, 0.9),
    fuelP95: quantile(fuels, 0.95),
    fuelMax: Math.max(...fuels),
    loopFuelPerMs: Math.round(rate),
    loopMsToSpendDefault: Math.round(budget / rate),
  };
  report[language] = { summary, runs: runs.map(({ stdout: _o, stderr: _e, ...r }) => r) };
  console.log(`\n## ${language}: ${fits}/${runs.length} (${summary.passWithDefaultsPercent} %) fit the default ${G(budget)} G; ${summary.outputMatches} match native output; p50 ${G(summary.fuelMedian)} G, p95 ${G(summary.fuelP95)} G, max ${G(summary.fuelMax)} G; an infinite loop spends the default in ~${(summary.loopMsToSpendDefault / 1000).toFixed(1)} s here\n`);
  md.push(`## ${language}`, "", `default fuelBudget ${G(budget)} G · ${fits}/${runs.length} programs fit · p50 ${G(summary.fuelMedian)} G · p90 ${G(summary.fuelP90)} G · p95 ${G(summary.fuelP95)} G · max ${G(summary.fuelMax)} G · infinite loop spends the default in ~${(summary.loopMsToSpendDefault / 1000).toFixed(1)} s`, "", "| program | fuel (G) | output | ms |", "| --- | ---: | --- | ---: |");
  for (const r of runs) md.push(`| ${r.name} | ${G(r.fuelConsumed)} | ${r.ok ? "matches" : `differs (${r.trapReason ?? "exit"})`} | ${r.wallMs.toFixed(0)} |`);
  md.push("");
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "corpus.json"), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(outDir, "corpus.md"), `${md.join("\n")}\n`);
await closeDefaultHost();
process.exit(0);
