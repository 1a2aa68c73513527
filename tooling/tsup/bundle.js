#!/usr/bin/env node
// Usage: llm-sandbox-bundle <entry.ts> <outfile.mjs>
// Bundles a bench (or other script run from a package's own sources) the way `tsup` builds
// the package: guest files imported with `?raw` are inlined; npm packages stay external.
import { build } from "esbuild";
import { rawTextPlugin } from "./raw-text.js";

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error("usage: llm-sandbox-bundle <entry.ts> <outfile.mjs>");
  process.exit(2);
}
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  logLevel: "warning",
  plugins: [rawTextPlugin],
});
