/**
 * `pnpm bench` — code mode (issue 20): what one host-function call costs, per language.
 *
 * For each language, interleaved rounds run the same program with 0 and N (default 1,000)
 * calls of a `ping` tool (empty arguments, returns 1) through `sandbox.execute`:
 *
 * - per call, host view: (median run with N calls − median run with 0 calls) / N — the
 *   0-call run is the same-run baseline (start-up, import of the stubs, result);
 * - per call, guest view: the program times its own loop with the language's monotonic
 *   clock (Lua has none finer than a second: n/a);
 * - N calls in one run: the run's median wall time;
 * - fuel per call: (fuel of the N-call run − fuel of the 0-call run) / N, which does not
 *   depend on the machine or its load.
 *
 * Floor, in the same rounds: a bare Node worker doing the same blocking round trip
 * (postMessage, Atomics.wait; the main thread answers with postMessage + Atomics.notify)
 * N times — what any host call costs on this machine before the sandbox adds anything.
 *
 * The target is ≤ 0.2 ms per call round trip (reported, never asserted). Writes
 * bench-results/code-mode*.json (repository root).
 */
import { MessageChannel, Worker } from "node:worker_threads";
import { createSandbox, createSandboxHost, defineTool, memoryStorage, type Sandbox } from "llm-wasm-sandbox";
import { z } from "zod";
import { interleaved, median } from "./interleave.js";

const LANGUAGES = ["python", "javascript", "ruby", "lua", "wasm"] as const;
type Language = (typeof LANGUAGES)[number];
const N = Number(process.env["CODE_MODE_CALLS"] ?? 1000);
const ROUNDS = Number(process.env["CODE_MODE_ROUNDS"] ?? 9);
const TARGET_MS = 0.2;

/** A program making `n` calls and printing the loop's duration in ms by the guest's clock (or nothing). */
const PROGRAM: Record<Language, (n: number) => string> = {
  python: (n) => `import time\nfrom tools import ping\nt0 = time.perf_counter()\nfor _ in range(${n}):\n    ping()\nprint((time.perf_counter() - t0) * 1000)`,
  javascript: (n) => `const t0 = Date.now();\nfor (let i = 0; i < ${n}; i++) tools.sync.ping({});\nconsole.log(Date.now() - t0);`,
  ruby: (n) => `t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)\n${n}.times { Tools.ping }\nputs (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0) * 1000`,
  lua: (n) => `local ping = tools.ping\nfor _ = 1, ${n} do ping{} end`,
  wasm: (n) => watLoop(n),
};

const host = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 } });
const tools = { ping: defineTool({ description: "Answers 1.", input: z.object({}), handler: () => 1 }) };
const guestMs = new Map<string, number[]>();
/** Fuel of each case's run (the same every round). */
const fuel = new Map<string, number>();

const floor = bareRoundTrips();
const cases = [{ name: `bare worker round trip ×${N}`, fn: () => floor.run(N) }];
for (const language of LANGUAGES) {
  const sandbox = await createSandbox({ runtime: language, host, tools, policy: { maxToolCalls: N, deterministic: false } });
  for (const n of [0, N]) {
    const code = PROGRAM[language](n);
    const name = `${language} ${n} calls`;
    cases.push({ name, fn: () => runOnce(sandbox, code, n, name) });
  }
}

const rows = await interleaved("code-mode", cases, { rounds: ROUNDS, warmup: 2 });
const byName = new Map(rows.map((r) => [r.name, r.medianMs]));
const floorMs = byName.get(`bare worker round trip ×${N}`)! / N;
process.stdout.write(`\nfloor: a bare worker's blocking round trip to the main thread costs ${floorMs.toFixed(3)} ms here\n`);
process.stdout.write(`\n## code mode: one host call's round trip (N = ${N}; target ≤ ${TARGET_MS} ms)\n`);
process.stdout.write(`${"language".padEnd(12)}${"per call (host)".padStart(18)}${"per call (guest clock)".padStart(25)}${`${N} calls, one run`.padStart(23)}${"fuel per call".padStart(15)}  target\n`);
const summary = LANGUAGES.map((language) => {
  const base = byName.get(`${language} 0 calls`)!;
  const perCall = (byName.get(`${language} ${N} calls`)! - base) / N;
  const guest = guestMs.get(`${language} ${N} calls`);
  const perCallGuest = guest && guest.length > 0 ? median(guest) / N : null;
  const all = byName.get(`${language} ${N} calls`)!;
  const fuelPerCall = Math.round(((fuel.get(`${language} ${N} calls`) ?? 0) - (fuel.get(`${language} 0 calls`) ?? 0)) / N);
  const met = perCall <= TARGET_MS;
  process.stdout.write(
    `${language.padEnd(12)}${`${perCall.toFixed(3)} ms`.padStart(18)}${(perCallGuest === null ? "n/a" : `${perCallGuest.toFixed(3)} ms`).padStart(25)}${`${all.toFixed(1)} ms`.padStart(23)}${String(fuelPerCall).padStart(15)}  ${met ? "met" : "MISSED"}\n`,
  );
  return { language, perCallMs: perCall, perCallGuestMs: perCallGuest, callsInOneRunMs: all, baselineMs: base, fuelPerCall, met };
});
await writeSummary({ floorMs, languages: summary });
await floor.close();
await host.close();

async function runOnce(sandbox: Sandbox, code: string, n: number, name: string): Promise<void> {
  const r = await sandbox.execute(code);
  if (!r.success || r.toolCalls.length !== n) throw new Error(`${name}: ${r.stderr || r.trapMessage} (${r.toolCalls.length} calls)`);
  fuel.set(name, r.fuelConsumed);
  const printed = Number.parseFloat(r.stdout);
  if (Number.isFinite(printed)) guestMs.set(name, [...(guestMs.get(name) ?? []), printed]);
}

/**
 * A worker that makes `n` blocking round trips to this thread the way the sandbox's
 * channel does (post, wait on a shared flag; the answer is posted and the flag bumped).
 */
function bareRoundTrips(): { run(n: number): Promise<void>; close(): Promise<number> } {
  const flag = new SharedArrayBuffer(4);
  const seq = new Int32Array(flag);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(
    `const { parentPort, receiveMessageOnPort, workerData } = require("node:worker_threads");
     const seq = new Int32Array(workerData.flag);
     const port = workerData.port;
     parentPort.on("message", (n) => {
       for (let i = 0; i < n; i++) {
         port.postMessage({ kind: "call", id: i, tool: "ping", args: "{}" });
         for (;;) {
           const seen = Atomics.load(seq, 0);
           if (receiveMessageOnPort(port)) break;
           Atomics.wait(seq, 0, seen, 50);
         }
       }
       parentPort.postMessage("done");
     });`,
    { eval: true, workerData: { flag, port: port2 }, transferList: [port2] },
  );
  // Answered a microtask later, as the sandbox's async handlers are.
  port1.on("message", (m: { id: number }) => {
    void Promise.resolve().then(() => {
      port1.postMessage({ id: m.id, ok: true, value: "1" });
      Atomics.add(seq, 0, 1);
      Atomics.notify(seq, 0);
    });
  });
  return {
    run: (n) =>
      new Promise((resolve) => {
        worker.once("message", () => resolve());
        worker.postMessage(n);
      }),
    close: async () => {
      port1.close();
      return worker.terminate();
    },
  };
}

/** `n` calls of ping through llm_sandbox.call, timed with clock_time_get (monotonic); prints the ms. */
function watLoop(n: number): string {
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "llm_sandbox" "call" (func $call (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "ping")
  (data (i32.const 24) "{}")
  (func $now (result i64) (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 32))) (i64.load (i32.const 32)))
  (func (export "_start")
    (local $i i32) (local $t0 i64) (local $us i32) (local $p i32)
    (local.set $t0 (call $now))
    (block $done (loop $again
      (br_if $done (i32.ge_u (local.get $i) (i32.const ${n})))
      (drop (call $call (i32.const 16) (i32.const 4) (i32.const 24) (i32.const 2) (i32.const 1024) (i32.const 1024)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $again)))
    ;; elapsed microseconds, printed as "<ms>.<3 digits>"
    (local.set $us (i32.wrap_i64 (i64.div_u (i64.sub (call $now) (local.get $t0)) (i64.const 1000))))
    (local.set $p (i32.const 200))
    (i32.store8 (i32.const 200) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (if (i32.eq (local.get $p) (i32.const 196)) (then (i32.store8 (local.get $p) (i32.const 46)) (local.set $p (i32.sub (local.get $p) (i32.const 1)))))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $us) (i32.const 10))))
      (local.set $us (i32.div_u (local.get $us) (i32.const 10)))
      (br_if $digits (i32.or (local.get $us) (i32.gt_u (local.get $p) (i32.const 195)))))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 201) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;
}

async function writeSummary(summary: unknown): Promise<void> {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const dir = process.env["BENCH_RESULTS_DIR"] ?? join(process.env["INIT_CWD"] ?? process.cwd(), "bench-results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "code-mode-summary.json"), `${JSON.stringify({ suite: "code-mode", calls: N, rounds: ROUNDS, targetMs: TARGET_MS, date: new Date().toISOString(), node: process.version, ...(summary as object) }, null, 2)}\n`);
}
