import { packageConfig } from "@llm-wasm-sandbox/tsup-config";
import { subpathSelfReference } from "@llm-wasm-sandbox/tsup-config/subpath-self-reference";

/**
 * The zod-free pieces are entries of their own, each its own subpath: worker threads and the
 * runtime plugins import them, and loading the whole index (zod and its ~95 files) costs a
 * new worker ~100 ms before its first run and the CLI ~50 ms on its main thread.
 */
const SUBPATHS = {
  "workspace-path": "src/workspace-path.ts",
  errors: "src/errors/index.ts",
  "commit-plan": "src/commit-plan.ts",
  "guest-facts": "src/guest-facts.ts",
  "runtime-type": "src/runtime-type.ts",
  "mount-layout": "src/mount-layout.ts",
  "common-error-type": "src/guidance/common-error-type.ts",
};

export default packageConfig({
  entry: { index: "src/index.ts", ...SUBPATHS },
  esbuildPlugins: [subpathSelfReference("@llm-wasm-sandbox/core", SUBPATHS)],
});
