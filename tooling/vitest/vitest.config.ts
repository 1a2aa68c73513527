import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Root config: every workspace package with a vitest.config.ts is a project. */
export default defineConfig({
  root,
  test: {
    projects: ["packages/*/vitest.config.ts", "runtimes/*/vitest.config.ts", "tooling/*/vitest.config.ts"],
    // Worker threads load dist/: rebuild any package whose sources are newer first.
    globalSetup: [fileURLToPath(new URL("./fresh-builds.js", import.meta.url))],
    reporters: ["default", fileURLToPath(new URL("./summary-reporter.ts", import.meta.url))],
    // The root is not a project of its own: only the packages' projects run tests
    // (without this, every test file also ran a second time under the root's defaults).
    include: [],
    pool: "forks",
    maxWorkers: 2,
  },
});
