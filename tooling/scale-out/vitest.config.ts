import { packageProject } from "@llm-wasm-sandbox/vitest-config/shared";

export default packageProject("scale-out", { testTimeout: 600_000, hookTimeout: 300_000 });
