import { fileURLToPath } from "node:url";
import { readmeExample, runReadmeExample } from "@llm-wasm-sandbox/vitest-config/readme-example";
import { describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const prelude = `import { model } from ${JSON.stringify(fileURLToPath(new URL("./readme-model.ts", import.meta.url)))};`;

describe("README examples (with the SDK's ScriptedModel as `model`, tracing off)", () => {
  for (const [name, file, tag] of [
    ["package", "README.md", "readme-example"],
    ["root", "../../README.md", "adapter-example: openai-agents"],
  ] as const) {
    it(`runs the ${name} README's OpenAI Agents example as written`, async () => {
      const code = await readmeExample(fileURLToPath(new URL(`../${file}`, import.meta.url)), tag);
      process.env.OPENAI_AGENTS_DISABLE_TRACING = "1"; // inherited by the example's process: nothing leaves the machine
      const stdout = await runReadmeExample({ pkgDir, code, prelude, name: `openai-agents-${name}` });
      expect(stdout).toBe("1267650600228229401496703205376\n\n2**100 = 1267650600228229401496703205376\n");
    });
  }
});
