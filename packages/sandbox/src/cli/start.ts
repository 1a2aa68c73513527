/**
 * What the bin (`cli.ts`) loads after it started the pool thread: zod's configuration for a
 * one-shot process, then the command line. Built twice: as a chunk of the package (core,
 * zod and the rest imported from node_modules), and as `dist/cli-bundle.js`, one file that
 * also holds core's main entry, zod, commander and the storage adapters — Node 20 loads
 * ~100 small ESM files ~35 ms slower than one. The bin takes the bundle unless a
 * `--plugin` module may run: a third-party plugin imports core's main entry from
 * node_modules, and it must share that copy (its registry, its classes) with the CLI.
 * The runtime plugins and wasi-host import only core's zod-free subpaths, which the
 * bundle leaves external, so a process loads one instance of each.
 */
// First, so it runs before core's schemas are built; re-exported, not imported for its
// effect only, because the package is `sideEffects: false` and a bundler would drop that.
export { zodConfig } from "./zod-config.js";
export { main } from "./main.js";
