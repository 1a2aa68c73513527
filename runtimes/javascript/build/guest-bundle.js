import { resolve } from "node:path";
import { build } from "esbuild";

/**
 * `import source from "../guest/platform/url.js?guest-bundle"` inlines that guest file,
 * bundled with the npm packages it imports, as one string: a script whose completion
 * value is the file's exports. The driver evaluates it in QuickJS the first time a guest
 * touches one of those globals, so the packages are devDependencies here (bundled at
 * build time, never installed with the runtime) and a run that never uses them pays
 * nothing. Licence comments are kept at the end of each bundle.
 * (Plain JS: tsup loads its config's dependencies without transpiling.)
 * @type {import("esbuild").Plugin}
 */
export const guestBundlePlugin = Object.freeze({
  name: "llm-wasm-sandbox-guest-bundle",
  setup(b) {
    b.onResolve({ filter: /\?guest-bundle$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.slice(0, -"?guest-bundle".length)), namespace: "guest-bundle" }));
    b.onLoad({ filter: /.*/, namespace: "guest-bundle" }, async (args) => {
      const out = await build({
        entryPoints: [args.path],
        bundle: true,
        write: false,
        format: "iife",
        globalName: "__guestExports",
        platform: "neutral",
        mainFields: ["module", "main"],
        target: "es2020",
        minify: true,
        keepNames: true,
        legalComments: "eof",
        metafile: true,
        logLevel: "silent",
      });
      const text = out.outputFiles[0].text;
      return { contents: `(function () {\n${text}\nreturn __guestExports;\n})()`, loader: "text", watchFiles: Object.keys(out.metafile.inputs).map((p) => resolve(p)) };
    });
  },
});
