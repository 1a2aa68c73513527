import { defineConfig } from "tsup";

export default defineConfig({
  // The component driver is a separate entry: worker threads import it by file URL.
  entry: ["src/index.ts", "src/engine.ts", "src/component-run.ts", "src/component-driver.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
