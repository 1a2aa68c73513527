import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

/**
 * Guest code lives in real files (`runtimes/<lang>/guest/*.lua|rb|js`) and is inlined
 * into the bundle as a string by importing it with a `?raw` suffix:
 * `import stateRb from "../guest/state.rb?raw"`. Vite (so vitest) understands the same
 * suffix natively, so tests running `src/` and the built `dist/` see the same text.
 * Only relative specifiers are accepted: guest files belong to the package importing them.
 * (Plain JS: tsup and esbuild load it from node_modules without transpiling.)
 * @type {import("esbuild").Plugin}
 */
export const rawTextPlugin = Object.freeze({
  name: "llm-wasm-sandbox-raw-text",
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => {
      const file = args.path.slice(0, -"?raw".length);
      if (!file.startsWith("./") && !file.startsWith("../")) {
        return { errors: [{ text: `"${args.path}": a ?raw import names a file relative to the importer (./ or ../)` }] };
      }
      return { path: resolve(args.resolveDir, file), namespace: "raw-text" };
    });
    build.onLoad({ filter: /.*/, namespace: "raw-text" }, async (args) => ({
      contents: await readFile(args.path, "utf8"),
      loader: "text",
      watchFiles: [args.path],
    }));
  },
});
