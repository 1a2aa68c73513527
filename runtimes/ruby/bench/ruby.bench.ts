/**
 * `pnpm bench` for the Ruby runtime. Baseline: the same ruby+stdlib.wasm, uninstrumented,
 * on the main thread with wasi-host's WASI over a virtual filesystem, started the same way
 * (a fresh instance restored from an initialized-VM snapshot, then the same run script). Prints medians and
 * ratios; writes bench-results/ruby-*.json (repository root).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { runComparison } from "@llm-wasm-sandbox/bench";
import { createRuntimeHarness } from "@llm-wasm-sandbox/testkit";
import rubyPlugin from "@llm-wasm-sandbox/runtime-ruby";
import { CappedSink, ProcExit, createGuestClock, createVirtualFs, createWasiPreview1 } from "@llm-wasm-sandbox/wasi-host";
import { captureImage, restoreImage, type MemoryImage } from "@llm-wasm-sandbox/wasi-host/driver";
import { RUBY_INIT_ARGS, runLine, SNAPSHOT_FILES } from "../src/bootstrap.js";
import { evalString, initializeReactor, rubyImports, rubyInit } from "../src/guest-abi.js";

const require = createRequire(import.meta.url);
const wasmBytes = readFileSync(require.resolve("@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm"));

const HELLO = 'puts "hello"';
const CPU = [
  "def fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)",
  "total = 0",
  "200_000.times { |i| total += i % 7 }",
  'counts = (1..20_000).map { |i| "w#{i % 97}" }.tally',
  "puts total, fib(21), counts.size",
].join("\n");

const script = runLine({ path: "/app/user_code.rb", env: {}, argv: [], statePath: null, controlPath: "/tmp/.control", tools: null });

// Baseline: the unmetered module on the main thread with wasi-host's own WASI and virtual
// filesystem (no worker, no fuel, no memory cap), started the same way from a snapshot.
const baseModule = await WebAssembly.compile(wasmBytes);
function baselineInstance(code: string): { instance: WebAssembly.Instance; memory: WebAssembly.Memory } {
  let memory: WebAssembly.Memory | null = null;
  const fs = createVirtualFs({ seedFiles: { "user_code.rb": new TextEncoder().encode(code) } });
  const wasi = createWasiPreview1({
    memory: () => memory!,
    fs,
    args: ["ruby"],
    env: {},
    clock: createGuestClock({ deterministic: false }),
    stdout: new CappedSink(1 << 20),
    stderr: new CappedSink(1 << 20),
  });
  const instance = new WebAssembly.Instance(baseModule, { ...rubyImports(baseModule), wasi_snapshot_preview1: wasi.imports });
  memory = instance.exports.memory as WebAssembly.Memory;
  return { instance, memory };
}
const initT0 = performance.now();
const base = baselineInstance("");
const fresh = new Uint8Array(base.memory.buffer).slice();
initializeReactor(base.instance);
rubyInit(base.instance, base.memory, RUBY_INIT_ARGS);
for (const file of SNAPSHOT_FILES) evalString(base.instance, base.memory, file.source);
const baseImage: MemoryImage = captureImage(new Uint8Array(base.memory.buffer), fresh, {});
const baselineInitMs = performance.now() - initT0;

function baseline(code: string): () => void {
  return () => {
    const { instance, memory } = baselineInstance(code);
    restoreImage(memory, baseImage);
    try {
      evalString(instance, memory, script);
    } catch (error) {
      if (!ProcExit.isInstance(error)) throw error;
      if (error.exitCode !== 0) throw new Error(`baseline exited ${error.exitCode}`);
    }
  };
}

const harness = createRuntimeHarness(rubyPlugin);
const run = async (code: string) => (await harness.run(code, { fuelBudget: 1e12 })).raw;
async function sandboxed(code: string): Promise<void> {
  const raw = await run(code);
  if (raw.exitCode !== 0) throw new Error(`sandboxed run failed: ${raw.stderr}`);
}
const firstT0 = performance.now();
await sandboxed(HELLO);
const firstRunMs = performance.now() - firstT0;
const fuel = {
  hello: (await run(HELLO)).fuelConsumed,
  cpu: (await run(CPU)).fuelConsumed,
};
console.log(
  `ruby: first execute (load, metered ruby-init snapshot in a worker) ${firstRunMs.toFixed(0)} ms, ` +
    `baseline init ${baselineInitMs.toFixed(0)} ms, snapshot restores ${(baseImage.data.byteLength / 1048576).toFixed(1)} MiB of ` +
    `${(baseImage.byteLength / 1048576).toFixed(1)} MiB; fuel: hello ${fuel.hello.toLocaleString("en-US")}, cpu ${fuel.cpu.toLocaleString("en-US")}`,
);

await runComparison({
  suite: "ruby-hello",
  baseline: { name: "unmetered puts, main thread (fresh instance from snapshot)", fn: baseline(HELLO) },
  cases: [{ name: "execute puts (fresh instance from snapshot)", fn: () => sandboxed(HELLO), maxMedianMs: 60 }],
  timeMs: 3000,
});
await runComparison({
  suite: "ruby-cpu",
  baseline: { name: "unmetered cpu script, main thread", fn: baseline(CPU) },
  cases: [{ name: "execute cpu script", fn: () => sandboxed(CPU), maxRatio: 1.3 }],
  timeMs: 5000,
});
await harness.close();
process.exit(0);
