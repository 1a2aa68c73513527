/**
 * WASI 0.2 components: prepared on the host (`prepareComponent`: jco transpile in
 * instantiation mode, every core module metered) and run in a worker by a driver that
 * calls `runComponent` with the sandbox's own WASI 0.2 world.
 */
export { prepareComponent, ComponentRejectedError, type PrepareComponentOptions, type PreparedComponent } from "./prepare-component.js";
export { runComponent, type ComponentDriverData } from "./run-component.js";
export { createWasiP2Imports, withVersions, loadBrowserIo, type WasiP2Imports } from "./wasi-p2-imports.js";
