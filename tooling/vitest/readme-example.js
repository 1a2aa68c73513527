import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
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
 * workspace sources, written into `pkgDir` (so packages the example loads at run time,
 * such as runtimes, resolve from that package's node_modules), with `prelude` placed
 * first (e.g. an import that defines the model a README leaves to the reader).
 * @param {{ pkgDir: string, code: string, prelude?: string, name: string, cwd?: string }} options
 * @returns {Promise<string>} the example's stdout
 */
export async function runReadmeExample({ pkgDir, code, prelude = "", name, cwd }) {
  const outfile = join(pkgDir, `.readme-example-${name}.mjs`);
  try {
    await build({
      ...NODE_BUNDLE_OPTIONS,
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
