/**
 * Runs a WASI 0.2 command component: prepared once per content (jco transpile, every
 * core module metered, nothing written to disk), then run by this package's component
 * driver under the run's limits. Components see stdio, arguments, environment (only the
 * policy's), clocks and randomness; they get no filesystem preopens.
 */
import { createHash } from "node:crypto";
import type { ExecutionRequest, RawRun } from "@llm-wasm-sandbox/core";
import { component, resolveBuiltFile, run, runLimitsFromPolicy } from "@llm-wasm-sandbox/wasi-host";
import { PROGRAM_NAME } from "./engine.js";
import type { WasmModuleLimits } from "./module-check.js";
import { refusedRun } from "./refusal.js";
import { USER_IMAGE_CACHE_SIZE } from "./user-image.js";

const prepared = new Map<string, Promise<component.PreparedComponent>>();

/** Executes a component binary (see module doc). */
export async function executeComponent(request: ExecutionRequest, bytes: Uint8Array, limits: WasmModuleLimits, startedAt: number): Promise<RawRun> {
  let plan: component.PreparedComponent;
  try {
    plan = await prepare(bytes, limits);
  } catch (error) {
    if (error instanceof component.ComponentRejectedError) return refusedRun("ModuleRefused", error.message, startedAt);
    throw error;
  }
  if (plan.runExport === null) {
    return refusedRun("ModuleRefused", "the component exports no wasi:cli/run — only WASI 0.2 command components can be run", startedAt);
  }
  const unsupported = plan.imports.filter((i) => !/^wasi:(cli|io|clocks|random|filesystem)\//.test(i));
  if (unsupported.length > 0) {
    return refusedRun("ModuleRefused", `the component imports what this sandbox does not provide: ${unsupported.join(", ")}`, startedAt);
  }
  const primary = plan.coreModules[plan.primary]!;
  const data: component.ComponentDriverData = {
    glue: plan.glue,
    coreModules: plan.coreModules,
    imports: plan.imports,
    runExport: plan.runExport,
    maxInstances: limits.maxInstances,
  };
  return run({
    image: primary,
    driver: resolveBuiltFile(import.meta.url, "component-driver.js"),
    driverData: data,
    argv: [PROGRAM_NAME, ...(request.args ?? [])],
    env: { ...request.policy.env },
    workspace: request.workspace,
    mounts: request.mounts,
    limits: runLimitsFromPolicy(request.policy),
    ...(request.signal ? { signal: request.signal } : {}),
  });
}

function prepare(bytes: Uint8Array, limits: WasmModuleLimits): Promise<component.PreparedComponent> {
  const key = `${createHash("sha256").update(bytes).digest("hex")}:${limits.maxInstances}`;
  const hit = prepared.get(key);
  if (hit) return hit;
  const pending = component.prepareComponent(bytes, { maxCoreModules: limits.maxInstances });
  prepared.set(key, pending);
  pending.catch(() => prepared.delete(key));
  while (prepared.size > USER_IMAGE_CACHE_SIZE) prepared.delete(prepared.keys().next().value!);
  return pending;
}
