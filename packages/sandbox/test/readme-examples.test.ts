import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const readmePath = fileURLToPath(new URL("../../../README.md", import.meta.url));
const run = promisify(execFile);

/** What each README example must print (the comments in the README say the same). */
const EXPECTED: Record<string, string[]> = {
  quickstart: ["sum: 30", "true", "'result.json'"],
  sessions: ["8", "'input.csv'", "'total.txt'"],
  "code-mode-ruby-lua": ["5\n42"],
  "warm-sessions": ["2 3 true", "timeout", "False false"],
  "code-mode": ["2 hits: Fuel counts instructions; Memory has a cap", 'search({"query":"fuel"}) ok=true, search({"query":"memory"}) ok=true', "Host functions (tools) your code can call."],
};

async function examples(): Promise<Map<string, string>> {
  const text = await readFile(readmePath, "utf8");
  const found = new Map<string, string>();
  for (const m of text.matchAll(/<!-- readme-example: ([\w-]+) -->\s*```ts\n([\s\S]*?)```/g)) found.set(m[1]!, m[2]!);
  return found;
}

describe("README examples", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "readme-"));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("every tagged example has expectations, and every expectation an example", async () => {
    expect([...(await examples()).keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of Object.keys(EXPECTED)) {
    it(`runs the "${name}" example as written`, async () => {
      const source = (await examples()).get(name)!;
      const { code } = await transform(source, { loader: "ts", format: "esm" });
      // Inside the package folder, `import "llm-wasm-sandbox"` resolves to the built package itself.
      const file = join(pkgDir, `.readme-example-${name}.mjs`);
      await writeFile(file, code);
      try {
        const { stdout } = await run(process.execPath, [file], { cwd: work, timeout: 120_000 });
        for (const s of EXPECTED[name]!) expect(stdout).toContain(s);
      } finally {
        await rm(file, { force: true });
      }
    });
  }
});
