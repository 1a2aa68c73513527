import { defineConfig } from "tsup";

export default defineConfig({
  // The driver is loaded by wasi-host's worker threads from dist/driver.js.
  entry: ["src/index.ts", "src/driver.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
