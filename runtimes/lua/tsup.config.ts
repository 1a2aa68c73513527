import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// The driver is a separate entry: worker threads import it by file URL.
export default packageConfig({ entry: ["src/index.ts", "src/driver.ts"] });
