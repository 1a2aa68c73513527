/**
 * Bulk memory costs fuel by length: a guest that copies or fills megabytes per operation
 * in a loop must run out of fuel like any other loop, never run on until the wall clock.
 * Each run has a generous wall clock so that only fuel can stop it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, type Sandbox } from "../../src/index.js";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";

const FUEL = 2_000_000_000;
const policy = { fuelBudget: FUEL, timeoutMs: 300_000, memoryBytes: 128 * 1024 * 1024 };

// Runtimes whose interpreter compiles memcpy/memset to memory.copy/memory.fill.
const BULK_LOOP: Record<string, string> = {
  python: "a = bytearray(16 << 20)\nb = bytes(16 << 20)\nwhile True:\n    a[:] = b",
  javascript: "const a = new Uint8Array(16 << 20), b = new Uint8Array(16 << 20); for (;;) a.set(b);",
  ruby: "s = 'x' * (16 << 20)\nloop { t = s + 'y' }",
  lua: "local s = string.rep('x', 16 * 1024 * 1024)\nwhile true do local t = s .. 'y' end",
  wasm: `(module (memory (export "memory") 512)
    (func (export "_start") (loop $l (memory.fill (i32.const 0) (i32.const 1) (i32.const 33554432)) (br $l))))`,
};

const sandboxes: Sandbox[] = [];
afterAll(async () => {
  for (const sb of sandboxes) await sb.close();
});

describe.each(Object.keys(BULK_LOOP))("%s: bulk memory is charged by length", (runtime) => {
  it("a loop of 16-32 MiB copies/fills ends out_of_fuel, not at the wall clock, and the host stays responsive", { timeout: 300_000 }, async () => {
    const sb = await createSandbox({ runtime, storage: memoryStorage(), policy });
    sandboxes.push(sb);
    await sb.execute(runtime === "wasm" ? '(module (memory 1) (func (export "_start")))' : ""); // warm the runtime first
    const { result: r, maxDelayMs } = await watchEventLoop(() => sb.execute(BULK_LOOP[runtime]!));
    expect(r.trapReason).toBe("out_of_fuel");
    expect(r.success).toBe(false);
    expect(r.fuelConsumed).toBeGreaterThanOrEqual(FUEL * 0.99);
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });
});
