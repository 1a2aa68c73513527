/**
 * The README's examples, executed: every ```ruby block runs successfully (twice, with
 * $state persisted, since the README shows persistence), and the TypeScript example's
 * Ruby program prints what its comment says.
 */
import { readFileSync } from "node:fs";
import { MemoryWorkspace, createRuntimeHarness, succeeded, type RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import rubyPlugin from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const rubyBlocks = [...readme.matchAll(/```ruby\n([\s\S]*?)```/g)].map((m) => m[1]!);
const tsExample = /sandbox\.execute\('([^']*)'\);\nconsole\.log\(result\.stdout\); \/\/ (.*)\n/.exec(readme);

let h: RuntimeHarness;
beforeAll(() => {
  h = createRuntimeHarness(rubyPlugin);
});
afterAll(async () => {
  await h?.close();
});

describe("README examples", () => {
  it("has examples to check", () => {
    expect(rubyBlocks.length).toBeGreaterThan(0);
    expect(tsExample).not.toBeNull();
  });

  it("runs the TypeScript example's program with the output its comment shows", async () => {
    const [, code, shown] = tsExample!;
    const { raw } = await h.run(code!.replaceAll("\\n", "\n"));
    expect(raw.stdout.trim()).toBe(shown);
  });

  it("runs every ruby block, twice in one session with $state", async () => {
    for (const code of rubyBlocks) {
      const ws = new MemoryWorkspace();
      const first = await h.run(code, {}, ws, true);
      const second = await h.run(code, {}, ws, true);
      expect(succeeded(first)).toBe(true);
      expect(succeeded(second)).toBe(true);
      if (code.includes("$state[:count]")) expect(second.raw.stdout).toBe("2\n");
    }
  });
});
