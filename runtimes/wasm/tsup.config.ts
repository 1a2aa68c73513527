import { defineConfig } from "tsup";

export default defineConfig({
  // The drivers are separate entries: worker threads import it by file URL.
  entry: ["src/index.ts", "src/engine.ts", "src/component-run.ts", "src/component-driver.ts", "src/command-driver.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
