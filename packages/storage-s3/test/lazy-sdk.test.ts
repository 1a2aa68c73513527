import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { NODE_BUNDLE_OPTIONS } from "@llm-wasm-sandbox/vitest-config/bundle-options";
import { build } from "esbuild";
import { expect, it } from "vitest";

it("loads @aws-sdk/client-s3 only on the first request, and says how to install it when missing", async () => {
  // Bundled into a temp dir outside the package, so the SDK (left external) cannot resolve.
  const dir = await mkdtemp(join(tmpdir(), "llm-sandbox-lazy-"));
  try {
    const outfile = join(dir, "lazy-child.mjs");
    await build({
      ...NODE_BUNDLE_OPTIONS,
      entryPoints: [fileURLToPath(new URL("./fixtures/lazy-child.ts", import.meta.url))],
      outfile,
      external: ["@aws-sdk/*"],
    });
    const { stdout } = await promisify(execFile)(process.execPath, [outfile], { cwd: dir });
    const out = JSON.parse(stdout) as { created: boolean; error: string };
    expect(out.created).toBe(true);
    expect(out.error).toContain("npm install @aws-sdk/client-s3");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
