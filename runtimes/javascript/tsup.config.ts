import { defineConfig } from "tsup";

// The driver is its own entry: worker threads import `dist/driver.js` by URL.
export default defineConfig({
  entry: ["src/index.ts", "src/engine.ts", "src/driver.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
