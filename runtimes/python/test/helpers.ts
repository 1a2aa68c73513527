/** A shared harness for the in-sandbox tests (loading python.wasm once per test file). */
import { createRuntimeHarness, type RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { createPythonPlugin } from "../src/index.js";

/** A harness over a Python plugin whose vendor directory is `vendorDir` (none by default). */
export function pythonHarness(vendorDir = "/nonexistent-vendor-dir"): RuntimeHarness {
  return createRuntimeHarness(createPythonPlugin({ vendorDir }));
}
