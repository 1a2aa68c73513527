/**
 * `llm-sandbox-runtime-tally`: an example third-party runtime plugin. Tally is a tiny
 * line-oriented language (see src/tally.wat) whose interpreter is a WASI preview1
 * command; the sandbox meters it, caps its memory and output, and gives it /app.
 *
 * ```ts
 * import { registerRuntime } from "@llm-wasm-sandbox/core";
 * import { createSandbox } from "llm-wasm-sandbox";
 * import tally from "llm-sandbox-runtime-tally";
 *
 * registerRuntime(tally);
 * const sandbox = await createSandbox({ runtime: "tally" });
 * console.log((await sandbox.execute("print hi")).stdout); // "hi\n"
 * ```
 */
import { createRequire } from "node:module";
import type { RuntimePlugin } from "@llm-wasm-sandbox/core";

const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

/** The Tally runtime plugin. The interpreter is read and compiled only in `load()`. */
export const tallyPlugin: RuntimePlugin = Object.freeze({
  specificationVersion: "v1",
  type: "tally",
  displayName: "Tally (example plugin)",
  fileExtension: ".tally",
  packageName: pkg.name,
  version: pkg.version,
  // Tally needs little: a tighter default budget than the sandbox's 5e9 fuel.
  defaults: { fuelBudget: 1_000_000_000 },
  async load(options) {
    const { createTallyEngine } = await import("./engine.js");
    return createTallyEngine(options);
  },
} satisfies RuntimePlugin);

export default tallyPlugin;
