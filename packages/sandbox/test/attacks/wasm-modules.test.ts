/**
 * Crafted user modules (runtime-wasm) cannot make the host's main thread parse, check,
 * meter or compile them: that work runs in a pool thread under the run's wall clock, and
 * modules over the structural caps are refused with a message naming the cap. Each test
 * also holds the host's event loop to a generous ceiling while the attack runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, type Sandbox } from "../../src/index.js";
import { encodeULEB128 } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";

/** A module binary from sections (id, payload), with LEB128 sizes, as base64. */
function binary(...sections: Array<[number, number[]]>): string {
  const parts = [Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)];
  for (const [id, payload] of sections) parts.push(Uint8Array.of(id, ...uleb(payload.length)), Uint8Array.from(payload));
  return Buffer.concat(parts).toString("base64");
}

/** Unsigned LEB128 as a plain array, for building test modules. */
function uleb(n: number): number[] {
  return [...encodeULEB128(n)];
}

function repeat(times: number, bytes: readonly number[]): number[] {
  const out = new Array<number>(times * bytes.length);
  for (let i = 0; i < times; i++) for (let j = 0; j < bytes.length; j++) out[i * bytes.length + j] = bytes[j]!;
  return out;
}

/** Sections of `(func (export "_start") <body>)` with `types` extra `(func)` types first. */
function startModule(body: number[], extra: { types?: number; globals?: number } = {}): string {
  const types = 1 + (extra.types ?? 0);
  const code = [0x00].concat(body, [0x0b]); // no locals, body, end
  const sections: Array<[number, number[]]> = [
    [1, uleb(types).concat(repeat(types, [0x60, 0x00, 0x00]))],
    [3, [0x01, 0x00]],
  ];
  if (extra.globals) sections.push([6, uleb(extra.globals).concat(repeat(extra.globals, [0x7f, 0x00, 0x41, 0x00, 0x0b]))]);
  sections.push([7, [0x01, 0x06, ...Buffer.from("_start"), 0x00, 0x00]], [10, [0x01, ...uleb(code.length)].concat(code)]);
  return binary(...sections);
}

let sb: Sandbox;
beforeAll(async () => {
  sb = await createSandbox({ runtime: "wasm", storage: memoryStorage(), policy: { fuelBudget: 1_000_000_000, timeoutMs: 120_000 } });
  await sb.execute('(module (memory 1) (func (export "_start")))'); // warm: load the runtime and the toolchain
});
afterAll(async () => {
  await sb.close();
});

describe("wasm: crafted modules are refused off the main thread", () => {
  it("WAT nested 1.1M blocks deep (8.8 MB) is refused before it is parsed", { timeout: 120_000 }, async () => {
    const code = `(module (func (export "_start") ${"(block ".repeat(1_100_000)}${")".repeat(1_100_000)}))`;
    const { result: r, maxDelayMs } = await watchEventLoop(() => sb.execute(code));
    expect(r.success).toBe(false);
    expect(r.stderr).toContain("wasm: ModuleRefused: the WAT text nests 1100002 levels deep; at most 2000 levels of blocks are allowed");
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });

  it("a binary nested 1.1M blocks deep is refused by the meter's nesting cap", { timeout: 120_000 }, async () => {
    const body = repeat(1_100_000, [0x02, 0x40]).concat(repeat(1_100_000, [0x0b]));
    const { result: r, maxDelayMs } = await watchEventLoop(() => sb.execute(startModule(body)));
    expect(r.stderr).toMatch(/^wasm: ModuleRefused: the module cannot be metered: /);
    expect(r.stderr).toContain("blocks nest deeper than 2000 levels");
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });

  it("180k types are refused by the type cap", { timeout: 120_000 }, async () => {
    const { result: r, maxDelayMs } = await watchEventLoop(() => sb.execute(startModule([], { types: 180_000 })));
    expect(r.stderr).toContain("wasm: ModuleRefused: the module declares 180001 types; at most 20000 are allowed");
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });

  it("200k globals are refused by the global cap", { timeout: 120_000 }, async () => {
    const { result: r, maxDelayMs } = await watchEventLoop(() => sb.execute(startModule([], { globals: 200_000 })));
    expect(r.stderr).toContain("wasm: ModuleRefused: the module has 200000 globals; at most 20000 are allowed");
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });

  it("preparing a large module is bounded by the run's wall clock", { timeout: 120_000 }, async () => {
    // 2.4M nops (9.6 MB of WAT, under every cap): parsing alone takes far longer than 1 ms.
    const code = `(module (func (export "_start") ${"nop ".repeat(2_400_000)}))`;
    const { result: r, maxDelayMs } = await watchEventLoop(() => sb.execute(code, { policy: { timeoutMs: 1 } }));
    expect(r.trapReason).toBe("timeout");
    expect(r.success).toBe(false);
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
    // The pool replaced the stopped thread: the next run works.
    expect((await sb.execute('(module (func (export "_start")))')).success).toBe(true);
  });
});
