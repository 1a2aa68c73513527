import { fileURLToPath } from "node:url";
import { readmeExample, runReadmeExample } from "@llm-wasm-sandbox/vitest-config/readme-example";
import { describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const prelude = `import { model } from ${JSON.stringify(fileURLToPath(new URL("./readme-model.ts", import.meta.url)))};`;

describe("README examples (with LangChain's fakeModel() as `model`)", () => {
  for (const [name, file, tag] of [
    ["package", "README.md", "readme-example"],
    ["root", "../../README.md", "adapter-example: langchain"],
  ] as const) {
    it(`runs the ${name} README's LangChain example as written`, async () => {
      const code = await readmeExample(fileURLToPath(new URL(`../${file}`, import.meta.url)), tag);
      const stdout = await runReadmeExample({ pkgDir, code, prelude, name: `langchain-${name}` });
      expect(stdout).toBe("359\n\n359 days.\n");
    });
  }
});
