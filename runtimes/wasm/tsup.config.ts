import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// Worker threads import the drivers and the input preparer by file URL: separate entries.
export default packageConfig({
  entry: ["src/index.ts", "src/engine.ts", "src/component-run.ts", "src/component-driver.ts", "src/command-driver.ts", "src/prepare-input.ts"],
});
