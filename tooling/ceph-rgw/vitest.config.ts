import { packageProject } from "@llm-wasm-sandbox/vitest-config/shared";

export default packageProject("ceph-rgw");
