import { describeStorageConformance } from "@llm-wasm-sandbox/testkit";
import { memoryStorage } from "../src/index.js";

describeStorageConformance("memory", async () => {
  const adapter = memoryStorage();
  return { adapter, cleanup: () => adapter.close() };
});
