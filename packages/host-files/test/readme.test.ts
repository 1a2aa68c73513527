import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { NODE_BUNDLE_OPTIONS } from "@llm-wasm-sandbox/vitest-config/bundle-options";
import { build } from "esbuild";
import { expect, it } from "vitest";

it("runs the README example as written", async () => {
  const pkgDir = fileURLToPath(new URL("..", import.meta.url));
  const readme = await readFile(join(pkgDir, "README.md"), "utf8");
  const code = /<!-- readme-example -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeTruthy();
  const dir = await mkdtemp(join(tmpdir(), "readme-host-files-"));
  try {
    const outfile = join(dir, "example.mjs");
    await build({ ...NODE_BUNDLE_OPTIONS, stdin: { contents: code as string, resolveDir: pkgDir, loader: "ts" }, outfile });
    const { stdout } = await promisify(execFile)(process.execPath, [outfile]);
    expect(stdout.trim().split("\n")).toEqual(["fuel_budget = 1_000", "not-regular"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
