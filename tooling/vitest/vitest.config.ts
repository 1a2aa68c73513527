import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Root config: every workspace package with a vitest.config.ts is a project. */
export default defineConfig({
  root,
  test: {
    projects: ["packages/*/vitest.config.ts", "runtimes/*/vitest.config.ts", "tooling/*/vitest.config.ts"],
    reporters: ["default", fileURLToPath(new URL("./summary-reporter.ts", import.meta.url))],
    exclude: ["**/node_modules/**", "**/dist/**", "examples/**"],
    pool: "forks",
    maxWorkers: 2,
    // Real interpreters on a loaded 2-core machine: generous per-test limits.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
