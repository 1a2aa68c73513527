import { packageProject } from "@llm-wasm-sandbox/vitest-config/shared";

export default packageProject("fidelity", { testTimeout: 600_000 });
