import { rawTextPlugin } from "@llm-wasm-sandbox/tsup-config/raw-text";

/**
 * esbuild options for bundling a test fixture (or README example) that runs in a
 * child Node process against the workspace packages' TypeScript sources — so tests
 * that spawn processes need no build. Guest files imported with `?raw` are inlined as
 * in the packages' builds. Spread them into `build({ ... })`.
 * @type {import("esbuild").BuildOptions}
 */
export const NODE_BUNDLE_OPTIONS = Object.freeze({
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["llm-wasm-sandbox:source"],
  logLevel: "silent",
  plugins: [rawTextPlugin],
});
