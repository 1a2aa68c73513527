/**
 * `pnpm bench` — fast start through the public API (issue 19), every case interleaved
 * with its peers in the same run:
 *
 * 1. In-process hello per runtime via `sandbox.execute`: default disk storage, memory
 *    storage, and disk with one 1 KB file written, each without and with pre-warmed
 *    instances (`createSandboxHost({ prewarm })`, a host per runtime; how many runs had one
 *    is printed); peers, in a process of their own (bench/peers.ts says why), their cases
 *    in the same rounds: quickjs-emscripten (new context, and one reused context), wasmoon
 *    (new engine, reused), ruby.wasm (new VM, reused).
 * 2. The CLI as a new process (`node dist/cli.js run hello.<ext>`, warm cache and start
 *    hints, `.wat` too): wall time, peak RSS and process CPU time, against `node -e 0`.
 * 3. Host memory: a fresh process per runtime (RSS over an imported-but-idle process),
 *    one process that runs all four, the first execute's own time, its event-loop block, and where the
 *    snapshot came from (disk after the first process); what one pre-warmed instance of
 *    each runtime costs (idle RSS of a one-thread host with and without it).
 * 4. Issue 18's "new process's first execute" of Python (`bench/first-execute.mjs`: from the
 *    process's start to the first result through the public API, node's boot as baseline).
 *
 * `FASTSTART_BASE_CLI=/path/to/other/dist/cli.js` adds that build's CLI to section 2, each
 * of its cases interleaved with this build's (its own cache directory, warmed the same way):
 * a baseline measured in the same run.
 *
 * Writes bench-results/faststart-*.json (repository root). `FASTSTART_SECTIONS=in-process,cli,memory`
 * runs only the sections named (comma-separated; default: all three); `FASTSTART_RUNTIMES=javascript,lua`
 * only those runtimes.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createSandbox, createSandboxHost, memoryStorage, type Sandbox } from "llm-wasm-sandbox";
import { WAT_HELLO } from "../test/attacks/wat-fragments.js";
import { EXTENSION, HELLO, HELLO_WRITE_1KB } from "./hello.js";
import { interleaved, median, type Case } from "./interleave.js";
import { remotePeerCases, servePeersIfPeerHost } from "./peers.js";

// Started again as the peers' own process (bench/peers.ts): it serves them and never gets past this line.
await servePeersIfPeerHost();

const run = promisify(execFile);
const ALL_RUNTIMES = ["javascript", "lua", "ruby", "python"] as const;
/** `FASTSTART_RUNTIMES=javascript,lua` limits every section to those runtimes (default: all four). */
const RUNTIMES = ALL_RUNTIMES.filter((r) => (process.env["FASTSTART_RUNTIMES"]?.split(",") ?? ALL_RUNTIMES).includes(r));
const ROUNDS = Number(process.env["FASTSTART_ROUNDS"] ?? 15);
const PROCESS_ROUNDS = Number(process.env["FASTSTART_PROCESS_ROUNDS"] ?? 5);
/** Fresh processes of the first-execute section (issue 18 asks for the median of at least 9). */
const FIRST_EXECUTE_ROUNDS = Number(process.env["FASTSTART_FIRST_EXECUTE_ROUNDS"] ?? 9);
const ALL_SECTIONS = ["in-process", "cli", "memory", "first-execute"] as const;
/** `FASTSTART_SECTIONS=cli,memory` runs only those sections (default: all four). */
const SECTIONS = new Set(process.env["FASTSTART_SECTIONS"]?.split(",") ?? ALL_SECTIONS);
for (const s of SECTIONS) if (!(ALL_SECTIONS as readonly string[]).includes(s)) throw new Error(`FASTSTART_SECTIONS: unknown section "${s}" (${ALL_SECTIONS.join(", ")})`);
const here = fileURLToPath(new URL(".", import.meta.url));
const cli = join(here, "..", "cli.js");
const probe = join(here, "probe.mjs");
/** Not bundled: run as it is, by every bench that reports issue 18's number. */
const firstExecute = join(here, "..", "..", "bench", "first-execute.mjs");

const work = await mkdtemp(join(tmpdir(), "faststart-bench-"));
const cacheDir = join(work, "cache");

// ---- 1. in-process hello through sandbox.execute --------------------------------------
if (SECTIONS.has("in-process")) await inProcessSection();
async function inProcessSection(): Promise<void> {
  const host = createSandboxHost({ cacheDir, workspaceRoot: join(work, "workspace") });
  const memoryHost = createSandboxHost({ cacheDir, storage: memoryStorage() });
  // One pre-warming host per runtime and storage: a host shared by the runtimes had its
  // threads serve them all in turn, so a runtime's case ran on a thread that had just run
  // (and refilled) another runtime's instance, and its number depended on which others ran.
  const prewarmHosts = new Map(RUNTIMES.map((runtime) => [runtime, { disk: createSandboxHost({ cacheDir, workspaceRoot: join(work, `workspace-prewarm-${runtime}`), prewarm: [runtime] }), memory: createSandboxHost({ cacheDir, storage: memoryStorage(), prewarm: [runtime] }) }]));
  /** Runs that took a pre-warmed instance, by case name (warm-up rounds included). */
  const prewarmedRuns = new Map<string, { taken: number; runs: number }>();
  const expectHello = async (sandbox: Sandbox, code: string, name?: string): Promise<void> => {
    const r = await sandbox.execute(code);
    if (r.stdout !== "hello\n") throw new Error(`${sandbox.runtime}: ${JSON.stringify(r.stdout)} ${r.stderr}`);
    if (name !== undefined) {
      const count = prewarmedRuns.get(name) ?? { taken: 0, runs: 0 };
      prewarmedRuns.set(name, { taken: count.taken + (r.prewarmed ? 1 : 0), runs: count.runs + 1 });
    }
  };
  /** The 1 KB case: the run must really commit its file (created, then modified every run). */
  const expectWrite = async (sandbox: Sandbox, code: string): Promise<void> => {
    const r = await sandbox.execute(code);
    if (r.stdout !== "hello\n") throw new Error(`${sandbox.runtime}: ${JSON.stringify(r.stdout)} ${r.stderr}`);
    if (![...r.filesCreated, ...r.filesModified].includes("out.txt")) throw new Error(`${sandbox.runtime}: the 1 KB run committed nothing`);
  };
  const inProcess: Case[] = [];
  let written = 0;
  for (const runtime of RUNTIMES) {
    const disk = await createSandbox({ runtime, host });
    const memory = await createSandbox({ runtime, host: memoryHost });
    const writer = await createSandbox({ runtime, host });
    const warmDisk = await createSandbox({ runtime, host: prewarmHosts.get(runtime)!.disk });
    const warmMemory = await createSandbox({ runtime, host: prewarmHosts.get(runtime)!.memory });
    const target = { maxMedianMs: runtime === "ruby" ? 10 : runtime === "python" ? 5 : 3 };
    const names = { disk: `${runtime} hello, disk storage, pre-warmed`, memory: `${runtime} hello, memory storage, pre-warmed` };
    inProcess.push(
      { name: `${runtime} hello, disk storage`, fn: () => expectHello(disk, HELLO[runtime]!), target },
      { name: names.disk, fn: () => expectHello(warmDisk, HELLO[runtime]!, names.disk), target },
      { name: `${runtime} hello, memory storage`, fn: () => expectHello(memory, HELLO[runtime]!) },
      { name: names.memory, fn: () => expectHello(warmMemory, HELLO[runtime]!, names.memory) },
      { name: `${runtime} hello + 1 KB file, disk storage`, fn: () => expectWrite(writer, HELLO_WRITE_1KB[runtime]!(++written)) },
    );
}
// ruby.wasm's new VM takes ~300 ms a round: only when Ruby is measured.
const peers = await remotePeerCases(import.meta.url, RUNTIMES.includes("ruby"));
inProcess.push(...peers.cases);
const inRows = await interleaved("faststart-in-process", inProcess, { rounds: ROUNDS, warmup: 2, settleMs: 100 });
peers.close();
for (const runtime of RUNTIMES) {
  const noFile = inRows.find((r) => r.name === `${runtime} hello, disk storage`)!.medianMs;
  const oneFile = inRows.find((r) => r.name === `${runtime} hello + 1 KB file, disk storage`)!.medianMs;
  process.stdout.write(`${runtime}: one 1 KB file on disk costs ×${(oneFile / noFile).toFixed(2)} of the same run writing nothing [target ≤ 2]\n`);
}
for (const [name, { taken, runs }] of prewarmedRuns) process.stdout.write(`${name}: ${taken} of ${runs} runs took a pre-warmed instance\n`);
for (const runtime of RUNTIMES) {
  const cold = inRows.find((r) => r.name === `${runtime} hello, disk storage`)!.medianMs;
  const warm = inRows.find((r) => r.name === `${runtime} hello, disk storage, pre-warmed`)!.medianMs;
  process.stdout.write(`${runtime}: pre-warmed hello on disk storage takes ×${(warm / cold).toFixed(2)} of a cold one\n`);
}
await host.close();
await memoryHost.close();
for (const { disk, memory } of prewarmHosts.values()) {
  await disk.close();
  await memory.close();
}
}

// ---- 2. the CLI as a new process ----------------------------------------------------------
const env = { ...process.env, LLM_SANDBOX_CACHE_DIR: cacheDir, NO_COLOR: "1" };
/** Another build's bin, measured beside this one (see the header). */
const BASE_CLI = process.env["FASTSTART_BASE_CLI"];
if (SECTIONS.has("cli")) await cliSection();
async function cliSection(): Promise<void> {
  for (const runtime of RUNTIMES) await writeFile(join(work, `hello.${EXTENSION[runtime]}`), HELLO[runtime]!);
  // Peak RSS of the whole child (worker threads included), printed by the child at exit:
  // VmHWM, which exec resets (getrusage's maxRSS keeps the forking parent's peak on Linux).
  // And the child's CPU time (user + system, all its threads) up to then: on a shared
  // machine under load the wall time mostly measures the others, the CPU time much less.
  const rssHook = `data:text/javascript,import{readFileSync,writeSync}from"node:fs";process.on("exit",()=>{const c=process.cpuUsage();writeSync(2,"\\nmaxrss="+/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+" cpuus="+(c.user+c.system)+"\\n")})`;
  async function processCase(args: readonly string[], caseEnv: NodeJS.ProcessEnv = env): Promise<Record<string, number>> {
    const { stderr } = await run(process.execPath, ["--import", rssHook, ...args], { cwd: work, env: caseEnv, maxBuffer: 1 << 24 });
    const kb = Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
    const cpuUs = Number(/cpuus=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
    return { peakRssMiB: Math.round(kb / 102.4) / 10, cpuMs: Math.round(cpuUs / 100) / 10 };
  }
  await writeFile(join(work, "hello.wat"), WAT_HELLO);
  const builds = [
    { label: "", bin: cli, env },
    ...(BASE_CLI === undefined ? [] : [{ label: "base: ", bin: BASE_CLI, env: { ...env, LLM_SANDBOX_CACHE_DIR: join(work, "base-cache") } }]),
  ];
  const files = [...RUNTIMES.map((runtime) => `hello.${EXTENSION[runtime]}`), "hello.wat"];
  // Every cache warmed, and each runtime's start hint written, by one run each.
  for (const build of builds) for (const file of files) await processCase([build.bin, "run", file], build.env);
  const target = (file: string): Case["target"] =>
    file === "hello.wat" ? undefined : { maxMedianMs: file === "hello.rb" || file === "hello.py" ? 400 : 250, ...(file === "hello.rb" ? { maxMedian: { peakRssMiB: 200 } } : {}) };
  await interleaved(
    "faststart-cli",
    [
      { name: "node -e 0", fn: () => processCase(["-e", "0"]) },
      ...files.flatMap((file) =>
        builds.map((build): Case => {
          const t = build.label === "" ? target(file) : undefined;
          return { name: `${build.label}llm-wasm-sandbox run ${file}`, fn: () => processCase([build.bin, "run", file], build.env), ...(t === undefined ? {} : { target: t }) };
        }),
      ),
    ],
    { rounds: PROCESS_ROUNDS, warmup: 0, baseline: "node -e 0" },
  );
}

// ---- 3. host memory per runtime, all four, first-execute event-loop block -------------------
interface Probe {
  baseRssMiB: number;
  heldRssMiB: number | null;
  finalRssMiB: number;
  maxRssMiB: number;
  origins: string[];
  runtimes: { runtime: string; firstMs: number; secondMs: number; maxEventLoopBlockMs: number; rssAfterMiB: number }[];
}
const probeRun = async (list: string): Promise<Probe> => JSON.parse((await run(process.execPath, [probe, cacheDir, list], { env, maxBuffer: 1 << 24 })).stdout) as Probe;
if (SECTIONS.has("memory")) await memorySection();
if (SECTIONS.has("first-execute") && RUNTIMES.includes("python")) await firstExecuteSection();
await rm(work, { recursive: true, force: true });
process.exit(0);

async function memorySection(): Promise<void> {
  // Alone, this section warms the cache first (its own first process would build everything).
  if (SECTIONS.size === 1) await probeRun(RUNTIMES.join(","));
  const samples = new Map<string, Probe[]>();
  for (let round = 0; round < PROCESS_ROUNDS; round++) {
    for (const list of [...RUNTIMES, RUNTIMES.join(",")]) samples.set(list, [...(samples.get(list) ?? []), await probeRun(list)]);
}
process.stdout.write("\n## faststart-memory (fresh process each, medians; RSS in MiB)\n");
const memoryRows = [...samples].map(([list, probes]) => {
  const med = (f: (p: Probe) => number): number => Math.round(median(probes.map(f)) * 10) / 10;
  const row = {
    runtimes: list,
    baseRssMiB: med((p) => p.baseRssMiB),
    rssAfterMiB: med((p) => p.runtimes.at(-1)!.rssAfterMiB),
    heldRssMiB: med((p) => p.heldRssMiB ?? Number.NaN),
    heldRssRangeMiB: [Math.min(...probes.map((p) => p.heldRssMiB ?? Number.NaN)), Math.max(...probes.map((p) => p.heldRssMiB ?? Number.NaN))],
    addedMiB: med((p) => p.runtimes.at(-1)!.rssAfterMiB - p.baseRssMiB),
    peakRssMiB: med((p) => p.maxRssMiB),
    firstExecuteMs: probes[0]!.runtimes.map((_, i) => med((p) => p.runtimes[i]!.firstMs)),
    secondExecuteMs: probes[0]!.runtimes.map((_, i) => med((p) => p.runtimes[i]!.secondMs)),
    maxEventLoopBlockMs: med((p) => Math.max(...p.runtimes.map((r) => r.maxEventLoopBlockMs))),
    snapshotOrigins: [...new Set(probes.flatMap((p) => p.origins))],
  };
  const target = list.includes(",") ? " [target: held ≤ 250 MiB]" : "";
  process.stdout.write(
    `${list.padEnd(32)} rss ${row.rssAfterMiB} (+${row.addedMiB} over ${row.baseRssMiB}), held once idle ${row.heldRssMiB} (${row.heldRssRangeMiB.join("–")})${target}, peak ${row.peakRssMiB}; first execute ${row.firstExecuteMs.join("/")} ms, ` +
      `second ${row.secondExecuteMs.join("/")} ms; ` +
      `event loop blocked ≤ ${row.maxEventLoopBlockMs} ms; snapshots from ${row.snapshotOrigins.join("+") || "-"}\n`,
  );
  return row;
});

// What one waiting instance costs: idle RSS of a one-thread host that ran hello twice,
// pre-warming or not, a fresh process each, interleaved.
interface PrewarmProbe extends Probe {
  idleRssMiB: number;
  nextPrewarmed: boolean;
}
const prewarmSamples = new Map<string, { prewarm: PrewarmProbe[]; cold: PrewarmProbe[] }>();
for (let round = 0; round < PROCESS_ROUNDS; round++) {
  for (const runtime of RUNTIMES) {
    const entry = prewarmSamples.get(runtime) ?? { prewarm: [], cold: [] };
    for (const mode of ["cold", "prewarm"] as const) {
      entry[mode].push(JSON.parse((await run(process.execPath, [probe, cacheDir, runtime, mode], { env, maxBuffer: 1 << 24 })).stdout) as PrewarmProbe);
    }
    prewarmSamples.set(runtime, entry);
  }
}
process.stdout.write("\n## faststart-prewarm-memory (one worker thread, fresh process each, medians; RSS in MiB)\n");
const prewarmRows = [...prewarmSamples].map(([runtime, { prewarm, cold }]) => {
  const med = (probes: PrewarmProbe[]): number => Math.round(median(probes.map((p) => p.idleRssMiB)) * 10) / 10;
  const row = { runtime, idleRssColdMiB: med(cold), idleRssPrewarmedMiB: med(prewarm), perInstanceMiB: Math.round((med(prewarm) - med(cold)) * 10) / 10, nextRunPrewarmed: prewarm.filter((p) => p.nextPrewarmed).length, probes: prewarm.length };
  process.stdout.write(
    `${runtime.padEnd(12)} idle rss ${row.idleRssColdMiB} without, ${row.idleRssPrewarmedMiB} with a waiting instance: +${row.perInstanceMiB} MiB per instance (next run pre-warmed in ${row.nextRunPrewarmed}/${row.probes})\n`,
  );
  return row;
});
const resultsDir = await benchResultsDir();
await writeFile(join(resultsDir, "faststart-memory.json"), `${JSON.stringify({ suite: "faststart-memory", date: new Date().toISOString(), node: process.version, rows: memoryRows }, null, 2)}\n`);
await writeFile(join(resultsDir, "faststart-prewarm-memory.json"), `${JSON.stringify({ suite: "faststart-prewarm-memory", date: new Date().toISOString(), node: process.version, rows: prewarmRows }, null, 2)}\n`);
}

/** Issue 18's number, as `bench/first-execute.mjs` defines and prints it (its JSON line is saved too). */
async function firstExecuteSection(): Promise<void> {
  const { stdout } = await run(process.execPath, [firstExecute, "python", String(FIRST_EXECUTE_ROUNDS)], { env, maxBuffer: 1 << 24 });
  process.stdout.write(`\n${stdout.trim().split("\n").slice(0, -1).join("\n")}\n`);
  await writeFile(join(await benchResultsDir(), "faststart-first-execute.json"), `${JSON.stringify({ suite: "faststart-first-execute", date: new Date().toISOString(), node: process.version, ...JSON.parse(stdout.trim().split("\n").at(-1)!) }, null, 2)}\n`);
}

/** The directory the sections' JSON goes to (`BENCH_RESULTS_DIR`, else the repository's bench-results/), created if missing. */
async function benchResultsDir(): Promise<string> {
  const dir = process.env["BENCH_RESULTS_DIR"] ?? join(process.env["INIT_CWD"] ?? process.cwd(), "bench-results");
  await mkdir(dir, { recursive: true });
  return dir;
}
