import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// The driver is its own entry: worker threads import it by file URL.
export default packageConfig({ entry: ["src/index.ts", "src/wasm-driver.ts"] });
