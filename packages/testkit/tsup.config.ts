import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

export default packageConfig({ entry: ["src/index.ts", "src/code-mode.ts"] });
