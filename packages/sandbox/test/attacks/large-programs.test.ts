/**
 * A program just under the code cap (MAX_CODE_BYTES, 10 MiB) in every runtime: the host's
 * main thread only hands the text over; reading, decoding, parsing and compiling it happen
 * in the worker. The WebAssembly plugin used to strip whitespace from the whole input with
 * a regular expression on the main thread (~300 ms held on a loaded machine for 9.6 MB).
 */
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, createSandboxHost, MAX_CODE_BYTES, memoryStorage } from "../../src/index.js";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";

/** Filler that keeps each program just under the cap. */
const FILL = "a".repeat(MAX_CODE_BYTES - 64 * 1024);

/** A module `(memory 1) (func (export "_start"))` plus one custom section of `size` bytes, as base64 with a space after every 4 characters. */
function moduleWithCustomSection(size: number): string {
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      let byte = n & 0x7f;
      n = Math.floor(n / 128);
      if (n > 0) byte |= 0x80;
      out.push(byte);
    } while (n > 0);
    return out;
  };
  const name = [...Buffer.from("filler")];
  const payload = [name.length, ...name];
  const sections = Buffer.concat([
    Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
    Buffer.from([0x01, 0x04, 0x01, 0x60, 0x00, 0x00]), // type: () -> ()
    Buffer.from([0x03, 0x02, 0x01, 0x00]), // func 0
    Buffer.from([0x05, 0x03, 0x01, 0x00, 0x01]), // memory 1
    Buffer.from([0x07, 0x0a, 0x01, 0x06, ...Buffer.from("_start"), 0x00, 0x00]), // export
    Buffer.from([0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b]), // code
    Buffer.from([0x00, ...leb(payload.length + size), ...payload]),
    Buffer.alloc(size, 0x61),
  ]);
  return sections.toString("base64").replace(/.{4}/g, "$& ");
}

const PROGRAMS: Record<string, string> = {
  python: `x = 41\n# ${FILL}\nprint(x + 1)`,
  javascript: `let x = 41; // ${FILL}\nconsole.log(x + 1)`,
  ruby: `x = 41 # ${FILL}\nputs x + 1`,
  lua: `local x = 41 -- ${FILL}\nprint(x + 1)`,
  // Millions of whitespace runs: what made the old main-thread whitespace strip slow.
  "wasm (WAT)": `(module (memory 1) (func (export "_start") ${"nop ".repeat(FILL.length / 4)}))`,
  "wasm (base64)": moduleWithCustomSection(Math.floor((FILL.length * 3) / 5)),
};

const host = createSandboxHost({ storage: memoryStorage() });
afterAll(() => host.close());

describe.each(Object.keys(PROGRAMS))("a program just under the 10 MiB code cap (%s)", (name) => {
  it("runs, and the main thread never blocks on its size", { timeout: 240_000 }, async () => {
    const runtime = name.startsWith("wasm") ? "wasm" : name;
    const code = PROGRAMS[name]!;
    expect(Buffer.byteLength(code)).toBeGreaterThan(MAX_CODE_BYTES - 128 * 1024);
    expect(Buffer.byteLength(code)).toBeLessThanOrEqual(MAX_CODE_BYTES);
    const sb = await createSandbox({ runtime, host, policy: { timeoutMs: 200_000, fuelBudget: 100_000_000_000, memoryBytes: 512 * 1024 * 1024 } });
    // Warm first: the first run of a runtime in a process loads its package on the main thread.
    await sb.execute(runtime === "wasm" ? '(module (memory 1) (func (export "_start")))' : "");
    code.charCodeAt(code.length >> 1); // a flat string, as a caller's would be
    const { result: r, maxDelayMs } = await watchEventLoop(() => sb.execute(code));
    expect(r.success, r.stderr).toBe(true);
    if (runtime !== "wasm") expect(r.stdout).toBe("42\n");
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });
});
