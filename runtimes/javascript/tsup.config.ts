import { packageConfig } from "@llm-wasm-sandbox/tsup-config";
import { guestBundlePlugin } from "./build/guest-bundle.js";

// The driver is its own entry: worker threads import `dist/driver.js` by URL.
export default packageConfig({ entry: ["src/index.ts", "src/driver.ts"], esbuildPlugins: [guestBundlePlugin] });
