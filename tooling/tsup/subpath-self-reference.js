import { dirname, relative, resolve, sep } from "node:path";

/**
 * For a package whose zod-free pieces are subpath entries of their own (core): an import
 * that crosses from one entry's files into another entry's files is rewritten to that
 * entry's package subpath (`@llm-wasm-sandbox/core/errors`) and left external. So the main
 * entry holds only its own code and imports each subpath module the way a plugin does —
 * one instance of every error class in a process, and a bundle of the main entry (the
 * CLI's) can leave the subpaths external without copying them.
 * An entry's files are the entry file itself or, for an `index.ts`, its whole directory; a
 * subpath may also name several files and directories (a path ending in `/`) as its files —
 * for a build that does not build that entry but must share its instances (wasi-host's
 * thread build and its `./driver`).
 * (Plain JS: tsup and esbuild load it from node_modules without transpiling.)
 * @param {string} packageName the package's own name (self-reference)
 * @param {Readonly<Record<string, string | readonly string[]>>} subpaths subpath → entry file (or its files), relative to the package root
 * @returns {import("esbuild").Plugin}
 */
export function subpathSelfReference(packageName, subpaths) {
  const groups = Object.entries(subpaths).flatMap(([subpath, files]) =>
    (typeof files === "string" ? [files] : files).map((file) => {
      const path = resolve(file);
      const dir = file.endsWith("/") ? path : path.endsWith(`${sep}index.ts`) ? dirname(path) : null;
      return { subpath, path, dir };
    }),
  );
  const groupOf = (file) => groups.find((g) => file === g.path || (g.dir !== null && !relative(g.dir, file).startsWith("..")))?.subpath ?? null;
  return {
    name: "llm-wasm-sandbox-subpath-self-reference",
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === "entry-point") return undefined;
        const target = groupOf(resolve(args.resolveDir, args.path.replace(/\.js$/, ".ts")));
        if (target === null || groupOf(args.importer) === target) return undefined;
        return { path: `${packageName}/${target}`, external: true };
      });
    },
  };
}
