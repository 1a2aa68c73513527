/** A shared engine for the in-sandbox tests (loading python.wasm once per test file). */
import { createRuntimeHarness, type RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import type { RuntimeEngine } from "@llm-wasm-sandbox/core";
import { createPythonPlugin } from "../src/index.js";

/** A harness over a Python engine whose vendor directory is `vendorDir` (none by default). */
export function pythonHarness(vendorDir = "/nonexistent-vendor-dir"): Promise<RuntimeHarness & { engine: RuntimeEngine }> {
  return createRuntimeHarness(createPythonPlugin({ vendorDir }));
}
