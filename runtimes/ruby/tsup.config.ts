import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// The driver (dist/driver.js) and the image transform (dist/stack-layout.js) are loaded by wasi-host's worker threads.
export default packageConfig({ entry: ["src/index.ts", "src/driver.ts", "src/stack-layout.ts"] });
