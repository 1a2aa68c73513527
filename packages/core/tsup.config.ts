import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// workspace-path and errors are entries of their own (no zod): wasi-host's worker
// threads import them, and loading the whole index costs each new worker ~100 ms
// before its first run.
export default packageConfig({
  entry: { index: "src/index.ts", "workspace-path": "src/workspace-path.ts", errors: "src/errors/index.ts" },
});
