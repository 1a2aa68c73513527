import { defineConfig } from "tsup";

// The worker entry and the drivers are loaded by worker threads from dist/ (see
// resolveBuiltFile), so they are entries of their own next to the public index.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    worker: "src/worker.ts",
    "drivers/wasi-command": "src/drivers/wasi-command.ts",
  },
  format: ["esm"],
  dts: { entry: { index: "src/index.ts" } },
  sourcemap: true,
  clean: true,
  target: "node20",
  splitting: true,
});
