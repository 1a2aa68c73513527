/**
 * Worker-side driver for WASI 0.2 command components: `runComponent` does the work (jco
 * glue, metered core modules on the run's memory and fuel, the sandbox's own WASI 0.2
 * world). Built as its own entry (dist/component-driver.js).
 */
import type { GuestDriver } from "@llm-wasm-sandbox/wasi-host";
import { runComponent } from "./component/run-component.js";

const componentDriver: GuestDriver = (ctx) => runComponent(ctx);

export default componentDriver;
