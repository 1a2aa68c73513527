import { defineConfig } from "tsup";

export default defineConfig({
  // The driver is a separate entry: worker threads import it by file URL.
  entry: ["src/index.ts", "src/engine.ts", "src/driver.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
