import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// The driver and the cache tasks are their own entries: worker threads import them by URL.
export default packageConfig({ entry: ["src/index.ts", "src/driver.ts", "src/cache-tasks.ts"] });
