import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
const dir = mkdtempSync(join(tmpdir(), "wasi-readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README (WASI host section)", () => {
  it("runs the example as written and prints what its comments say", async () => {
    const block = /<!-- readme-example: wasi-host -->\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const logged: unknown[] = [];
    (globalThis as { __readmeLog?: (v: unknown) => void }).__readmeLog = (v) => logged.push(v);
    const source = (block as string)
      .replace('"@llm-wasm-sandbox/wasi-host"', JSON.stringify(pathToFileURL(fileURLToPath(new URL("../index.ts", import.meta.url))).href))
      .replaceAll("import.meta.url", JSON.stringify(import.meta.url))
      .replaceAll("console.log(", "globalThis.__readmeLog(");
    const file = join(dir, "example.mjs");
    writeFileSync(file, source);
    await import(/* @vite-ignore */ pathToFileURL(file).href);
    expect(logged).toEqual(["42\n", ["write out.txt"]]);
  });
});
