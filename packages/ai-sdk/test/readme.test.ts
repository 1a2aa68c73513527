import { fileURLToPath } from "node:url";
import { readmeExample, runReadmeExample } from "@llm-wasm-sandbox/vitest-config/readme-example";
import { describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const prelude = `import { model } from ${JSON.stringify(fileURLToPath(new URL("./readme-model.ts", import.meta.url)))};`;

describe("README examples (with the SDK's mock model as `model`)", () => {
  for (const [name, file, tag] of [
    ["package", "README.md", "readme-example"],
    ["root", "../../README.md", "adapter-example: ai-sdk"],
  ] as const) {
    it(`runs the ${name} README's AI SDK example as written`, async () => {
      const code = await readmeExample(fileURLToPath(new URL(`../${file}`, import.meta.url)), tag);
      const stdout = await runReadmeExample({ pkgDir, code, prelude, name: `ai-sdk-${name}` });
      expect(stdout).toBe("832040\n\nThe 30th Fibonacci number is 832040.\n");
    });
  }

  it("runs the package README's code-mode example as written", async () => {
    const code = await readmeExample(fileURLToPath(new URL("../README.md", import.meta.url)), "readme-example: code-mode");
    const model = `import { model } from ${JSON.stringify(fileURLToPath(new URL("./readme-code-mode-model.ts", import.meta.url)))};`;
    const stdout = await runReadmeExample({ pkgDir, code, prelude: model, name: "ai-sdk-code-mode" });
    expect(stdout).toBe("Rome\n\nRome is warmer.\n");
  });
});
