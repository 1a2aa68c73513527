import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// workspace-path, errors, commit-plan and guest-facts are entries of their own (no zod):
// worker threads import them, and loading the whole index costs each new worker ~100 ms
// before its first run.
export default packageConfig({
  entry: {
    index: "src/index.ts",
    "workspace-path": "src/workspace-path.ts",
    errors: "src/errors/index.ts",
    "commit-plan": "src/commit-plan.ts",
    "guest-facts": "src/guest-facts.ts",
  },
});
