import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// cli.ts is the bin: it exports nothing, so only the index has declarations.
export default packageConfig({ entry: ["src/index.ts", "src/cli.ts"], dts: { entry: "src/index.ts" } });
