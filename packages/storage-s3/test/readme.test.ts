import { execFile } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { NODE_BUNDLE_OPTIONS } from "@llm-wasm-sandbox/vitest-config/bundle-options";
import { build } from "esbuild";
import { expect, it } from "vitest";
import { startS3Server } from "./s3-test-server.js";

it("runs the README example as written against a local S3 server", async () => {
  const pkgDir = fileURLToPath(new URL("..", import.meta.url));
  const readme = await readFile(join(pkgDir, "README.md"), "utf8");
  const code = /<!-- readme-example -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeTruthy();
  // Inside the package's node_modules so the bundle's bare import of the SDK resolves.
  const dir = join(pkgDir, "node_modules", ".cache", `readme-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const server = await startS3Server();
  try {
    const outfile = join(dir, "example.mjs");
    await build({
      ...NODE_BUNDLE_OPTIONS,
      stdin: { contents: code as string, resolveDir: pkgDir, loader: "ts" },
      outfile,
      external: ["@aws-sdk/*"],
    });
    const env = { ...process.env, S3_BUCKET: server.bucket, S3_ENDPOINT: server.endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };
    const { stdout } = await promisify(execFile)(process.execPath, ["--no-warnings", outfile], { env });
    expect(stdout.trim().split("\n")).toEqual(["shared by every host"]);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
