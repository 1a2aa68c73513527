/**
 * Runs a prepared WASI 0.2 command component (see prepare-input.ts: transpiled and every
 * core module metered in a pool thread) with this package's component driver under the
 * run's limits. Components see stdio, arguments, environment (only the policy's), clocks,
 * randomness and the run's virtual filesystem.
 */
import { resolveBuiltFile, type MeteredImage } from "@llm-wasm-sandbox/wasi-host";
import type { PreparedComponent } from "./component/prepare-component.js";
import type { ComponentDriverData } from "./component/run-component.js";
import type { WasmModuleLimits } from "./module-check.js";

/** The image and driver options of a component's run. */
export function componentRunOptions(plan: PreparedComponent, limits: WasmModuleLimits): { image: MeteredImage; driver: string; driverData: ComponentDriverData } {
  const data: ComponentDriverData = {
    glue: plan.glue,
    coreModules: plan.coreModules,
    imports: plan.imports,
    runExport: plan.runExport!,
    maxInstances: limits.maxInstances,
  };
  return { image: plan.coreModules[plan.primary]!, driver: resolveBuiltFile(import.meta.url, "component-driver.js"), driverData: data };
}
