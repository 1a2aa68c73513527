/**
 * `pnpm bench` for the WebAssembly runtime. Baseline: the same module, uninstrumented,
 * instantiated on the main thread with a do-nothing `fd_write`. Measured: the full
 * `engine.execute` (WAT parsed by jco, import check, metered module from the in-memory
 * cache, worker from the pool, journal). Prints medians and ratios; writes
 * bench-results/wasm-*.json.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "@bytecodealliance/jco";
import { runComparison } from "@llm-wasm-sandbox/bench";
import { createRuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { wasmPlugin } from "@llm-wasm-sandbox/runtime-wasm";

// dist/bench/wasm.bench.mjs → the repository root's bench-results/.
const outDir = fileURLToPath(new URL("../../../../bench-results", import.meta.url));
const HELLO = readFileSync(fileURLToPath(new URL("../../examples/hello.wat", import.meta.url)), "utf8");
// 20 million iterations of integer work, then one line of output.
const CPU = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "done\\n")
  (func (export "_start")
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.rem_u (i32.mul (local.get $i) (local.get $i)) (i32.const 10007))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 20000000))))
    (i32.store (i32.const 64) (local.get $acc))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;

async function baseline(wat: string): Promise<() => void> {
  const module = new WebAssembly.Module(new Uint8Array(await parse(wat)));
  return () => {
    const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: { fd_write: () => 0 } });
    (instance.exports._start as () => void)();
  };
}

const harness = createRuntimeHarness(wasmPlugin);
function sandboxed(code: string): () => Promise<void> {
  return async () => {
    const { raw } = await harness.run(code, { fuelBudget: 1e12 });
    if (raw.exitCode !== 0) throw new Error(`sandboxed run failed: ${raw.stderr}`);
  };
}

await runComparison({
  suite: "wasm-hello",
  baseline: { name: "unmetered hello.wat (main thread)", fn: await baseline(HELLO) },
  cases: [{ name: "execute hello.wat (parse, check, worker)", fn: sandboxed(HELLO), maxMedianMs: 10 }],
  timeMs: 2000,
  outDir,
});
await runComparison({
  suite: "wasm-cpu",
  baseline: { name: "unmetered 20M-iteration loop (main thread)", fn: await baseline(CPU) },
  cases: [{ name: "execute 20M-iteration loop (metered, worker)", fn: sandboxed(CPU), maxRatio: 1.5 }],
  timeMs: 4000,
  outDir,
});
await harness.close();
process.exit(0);
