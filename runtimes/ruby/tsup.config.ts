import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// The driver is loaded by wasi-host's worker threads from dist/driver.js.
export default packageConfig({ entry: ["src/index.ts", "src/driver.ts"] });
