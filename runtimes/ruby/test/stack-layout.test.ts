/**
 * The stack-layout rewrite of ruby.wasm (src/stack-layout/): it finds exactly the Asyncify
 * buffers it was written for in the pinned build, moves them above the module's initial
 * memory, and the result is a valid module the fuel meter accepts. Its effect on Ruby
 * (deep recursion through blocks) is tested through createSandbox in
 * packages/sandbox/test/ruby-fidelity.test.ts.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { instrumentModule } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import { RUBY_WASM } from "../src/plugin.js";
import rubyStackLayout from "../src/stack-layout.js";
import { STACK_LAYOUT } from "../src/stack-layout/layout.js";
import { rewriteStackLayout } from "../src/stack-layout/rewrite.js";

const original = readFileSync(createRequire(import.meta.url).resolve(RUBY_WASM));
const PAGE = 65536;

describe("ruby.wasm stack layout", () => {
  const { bytes, facts } = rewriteStackLayout(original, STACK_LAYOUT);

  it("moves the GC scan buffer and the longjmp buffer (24 KiB each in the build) above the initial memory, then the setjmp ring", () => {
    const base = facts.memoryMinPages.before * PAGE;
    const unwindFrom = base + STACK_LAYOUT.scanBufferBytes;
    const ringFrom = unwindFrom + STACK_LAYOUT.unwindBufferBytes;
    expect(facts.scanBuffer).toEqual({ from: base, to: unwindFrom, originalBytes: 24576 });
    expect(facts.unwindBuffers).toEqual([{ from: unwindFrom, to: ringFrom, originalBytes: 24576 }]);
    const { slots, slotBytes } = STACK_LAYOUT.setjmpRing;
    expect(facts.setjmpRing.from).toBe(ringFrom);
    expect(facts.setjmpRing.inlineBytes).toBe(24576);
    expect(facts.setjmpRing.to - ringFrom).toBeGreaterThanOrEqual(slots * slotBytes);
    expect(facts.setjmpRing.to - ringFrom).toBeLessThan(slots * slotBytes + 4096);
    expect(facts.memoryMinPages.after).toBe(Math.ceil(facts.setjmpRing.to / PAGE));
  });

  it("is a valid module that the fuel meter instruments, with the larger initial memory", () => {
    expect(WebAssembly.validate(bytes)).toBe(true);
    const metered = instrumentModule(bytes, { exportMutableGlobals: true });
    expect(metered.memory.initialPages).toBe(facts.memoryMinPages.after);
  });

  it("changes only the function bodies it patches, adds one function and grows the memory", () => {
    expect(bytes.length - original.length).toBeLessThan(1024);
    // Deterministic: the transform entry gives the same bytes (Buffer.equals, not a deep compare of 30 MB).
    expect(Buffer.from(rubyStackLayout(original)).equals(bytes)).toBe(true);
  });

  it("refuses a module that is not the Asyncify build it was written for", () => {
    const empty = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
    expect(() => rewriteStackLayout(empty, STACK_LAYOUT)).toThrow(/not an Asyncify build/);
  });
});
