import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("runs the README example as written", async () => {
  const pkgDir = fileURLToPath(new URL("..", import.meta.url));
  const readme = await readFile(join(pkgDir, "README.md"), "utf8");
  const code = /<!-- readme-example -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeTruthy();
  // Inside the package directory, so the package resolves itself (its built dist/, as a user gets it).
  const file = join(pkgDir, `.readme-example-${process.pid}.mjs`);
  await writeFile(file, code as string);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [file], { env: { ...process.env, NODE_OPTIONS: "" } });
    expect(stdout.trim()).toBe("[ { item: 'pen', qty: 2 } ] true true");
  } finally {
    await rm(file, { force: true });
  }
});
