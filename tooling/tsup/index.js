import { rawTextPlugin } from "./raw-text.js";

/**
 * The one tsup setup of every published package: ESM only, declarations (their TSDoc
 * kept), no source maps, a clean dist/, Node 20 syntax. A package names its entries and
 * changes only what it must (e.g. `dts` for a CLI entry that exports nothing).
 * Guest code imported with a `?raw` suffix is inlined as text (see raw-text.js).
 * (Plain JS: tsup loads its config's dependencies from node_modules without transpiling.)
 * @param {import("tsup").Options & { entry: NonNullable<import("tsup").Options["entry"]> }} options
 * @returns {import("tsup").Options}
 */
export function packageConfig(options) {
  return {
    format: ["esm"],
    dts: true,
    // No source maps: they were half of every tarball (issue 15), and dist/ is readable ESM.
    sourcemap: false,
    clean: true,
    target: "node20",
    ...options,
    esbuildPlugins: [rawTextPlugin, ...(options.esbuildPlugins ?? [])],
  };
}
