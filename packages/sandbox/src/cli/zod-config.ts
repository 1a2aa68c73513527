/**
 * zod compiles a parser for each object schema on its first parse (`new Function`): worth it
 * for a host validating many inputs, ~30 ms of pure cost on the CLI's main thread for a
 * process that validates a handful once. `start.ts` imports this first, before core and
 * its schemas (they read the setting when built). zod keeps its configuration on
 * `globalThis`, so it holds for every copy of zod in the process.
 */
import { config } from "zod";

/** zod's global configuration, set for the CLI. */
export const zodConfig = config({ jitless: true });
