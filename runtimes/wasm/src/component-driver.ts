/**
 * Worker-side driver for WASI 0.2 command components: wasi-host's `runComponent` does
 * the work (jco glue, metered core modules on the run's memory and fuel, the sandbox's
 * own WASI 0.2 world). Built as its own entry (dist/component-driver.js).
 */
import { component, type GuestDriver } from "@llm-wasm-sandbox/wasi-host";

const componentDriver: GuestDriver = (ctx) => component.runComponent(ctx);

export default componentDriver;
