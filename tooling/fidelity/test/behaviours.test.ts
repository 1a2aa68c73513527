/**
 * Behaviours issue 21 names, one program per behaviour under `behaviours/<language>/`,
 * each next to the `.out` the sandbox must print: JavaScript's platform APIs and console
 * formatting (recorded from Node, and checked against Node again here), the `v`-flag
 * answers QuickJS-NG gets wrong (pinned, documented in the runtime README), and Lua's
 * `os.setlocale` answering nil for locales the sandbox does not have.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { closeDefaultHost, createSandbox, memoryStorage } from "llm-wasm-sandbox";
import { afterAll, describe, expect, it } from "vitest";

const dir = (language: string): string => new URL(`../behaviours/${language}/`, import.meta.url).pathname;
// Runs each program with both limits far away from a few-second program: neither binds.
const policy = { fuelBudget: 20_000_000_000, timeoutMs: 600_000 };
/** Programs whose expected output is not Node's (the engine's known deviations, the limits of the sandbox's Intl). */
const NOT_NODE = new Set(["regexp-v-flag.js", "intl-limits.js"]);

afterAll(async () => {
  await closeDefaultHost();
});

describe.each([
  ["javascript", ".js"],
  ["lua", ".lua"],
] as const)("%s behaviours", (language, ext) => {
  const files = readdirSync(dir(language)).filter((f) => f.endsWith(ext)).sort();

  it.each(files)("%s prints its expected output in the sandbox", async (file) => {
    const sandbox = await createSandbox({ runtime: language, storage: memoryStorage(), policy });
    const result = await sandbox.execute(readFileSync(dir(language) + file, "utf8"));
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(readFileSync(dir(language) + file.replace(ext, ".out"), "utf8"));
  });

  if (language === "javascript") {
    it.each(files.filter((f) => !NOT_NODE.has(f)))("%s: the expected output is what Node prints", (file) => {
      const native = execFileSync(process.execPath, [dir(language) + file], { encoding: "utf8" });
      expect(native).toBe(readFileSync(dir(language) + file.replace(ext, ".out"), "utf8"));
    });
  }
});
