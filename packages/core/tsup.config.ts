import { defineConfig } from "tsup";

export default defineConfig({
  // workspace-path is its own entry (no zod): wasi-host's worker threads import it, and
  // loading the whole index costs each new worker ~100 ms before its first run.
  entry: ["src/index.ts", "src/workspace-path.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
