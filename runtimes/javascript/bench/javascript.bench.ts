/**
 * `pnpm bench` for the JavaScript runtime. Baseline: the same QuickJS-NG wasm through
 * stock quickjs-emscripten, unmetered, on the main thread of the same process — a fresh
 * instance from a precompiled module per run (as the sandbox does), a runtime, a context,
 * a `console.log` host function and the code. Prints medians and ratios; writes
 * bench-results/javascript-*.json and a summary in bench-results/javascript.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import variant from "@jitl/quickjs-ng-wasmfile-release-sync";
import { runComparison, type ComparisonRow } from "@llm-wasm-sandbox/bench";
import type { RawRun } from "@llm-wasm-sandbox/core";
import { createRuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { createJavaScriptPlugin } from "@llm-wasm-sandbox/runtime-javascript";
import { newQuickJSWASMModuleFromVariant, newVariant } from "quickjs-emscripten-core";

const require = createRequire(import.meta.url);
// dist/bench/javascript.bench.mjs → the repository root, where bench-results/ lives.
const outDir = process.env.BENCH_RESULTS_DIR ?? join(fileURLToPath(new URL("../../../..", import.meta.url)), "bench-results");
const wasmModule = new WebAssembly.Module(readFileSync(require.resolve("@jitl/quickjs-ng-wasmfile-release-sync/wasm")));
const plainVariant = newVariant(variant, { wasmModule });

const HELLO = 'console.log("hello")';
const CPU = [
  "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }",
  "let total = 0;",
  "for (let i = 0; i < 300000; i++) total += i % 7;",
  "const doc = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ id: i, name: 'n' + i, tags: [i, i * 2] })));",
  "console.log(total, fib(20), JSON.parse(doc).length)",
].join("\n");

async function baseline(code: string): Promise<void> {
  const qjs = await newQuickJSWASMModuleFromVariant(plainVariant);
  const rt = qjs.newRuntime();
  const vm = rt.newContext();
  const consoleObj = vm.newObject();
  const log = vm.newFunction("log", (...args) => {
    void args.map((a) => vm.getString(a)).join(" ");
  });
  vm.setProp(consoleObj, "log", log);
  vm.setProp(vm.global, "console", consoleObj);
  log.dispose();
  consoleObj.dispose();
  const r = vm.evalCode(code, "/app/user_code.js");
  if (r.error) throw new Error(`baseline failed: ${JSON.stringify(vm.dump(r.error))}`);
  r.value.dispose();
  rt.executePendingJobs();
  vm.dispose();
  rt.dispose();
}

const harness = createRuntimeHarness(createJavaScriptPlugin());
async function sandboxed(code: string): Promise<RawRun> {
  const { raw } = await harness.run(code, { fuelBudget: 1e12, deterministic: true });
  if (raw.exitCode !== 0) throw new Error(`sandboxed run failed: ${raw.stderr}`);
  return raw;
}

const hello = await runComparison({
  suite: "javascript-hello",
  baseline: { name: "quickjs-emscripten hello (unmetered)", fn: () => baseline(HELLO) },
  cases: [{ name: "execute hello (warm)", fn: () => sandboxed(HELLO), maxRatio: 1.5, maxMedianMs: 15 }],
  timeMs: 3000,
  outDir,
});
const cpu = await runComparison({
  suite: "javascript-cpu",
  baseline: { name: "quickjs-emscripten cpu (unmetered)", fn: () => baseline(CPU) },
  cases: [{ name: "execute cpu (warm)", fn: () => sandboxed(CPU), maxRatio: 1.3 }],
  timeMs: 5000,
  iterations: 8,
  outDir,
});

const fuel = { hello: (await sandboxed(HELLO)).fuelConsumed, cpu: (await sandboxed(CPU)).fuelConsumed };
process.stdout.write(`\nfuel: hello ${fuel.hello.toLocaleString("en-US")}, cpu ${fuel.cpu.toLocaleString("en-US")}\n`);
writeSummary({ hello, cpu, fuel });
await harness.close();
process.exit(0);

function writeSummary(data: { hello: ComparisonRow[]; cpu: ComparisonRow[]; fuel: Record<string, number> }): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "javascript.json"), `${JSON.stringify({ suite: "javascript", date: new Date().toISOString(), node: process.version, ...data }, null, 2)}\n`);
}
