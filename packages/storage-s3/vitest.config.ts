import { packageProject } from "@llm-wasm-sandbox/vitest-config/shared";

// One Ceph RGW for the whole package (see test/global-setup.ts).
export default packageProject("storage-s3", { globalSetup: ["./test/global-setup.ts"] });
