import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// The drivers are separate entries: worker threads import them by file URL.
export default packageConfig({
  entry: ["src/index.ts", "src/engine.ts", "src/component-run.ts", "src/component-driver.ts", "src/command-driver.ts"],
});
