import { defineProject } from "vitest/config";

/**
 * Per-package vitest project settings. Tests import workspace packages through
 * their `source` export condition, so they run against `src/` without a build.
 * (Plain JS: vitest loads config dependencies from node_modules without transpiling.)
 * @param {string} name project name shown in reports
 * @param {import("vitest/config").UserWorkspaceConfig["test"]} [overrides]
 */
export function packageProject(name, overrides = {}) {
  return defineProject({
    resolve: { conditions: ["llm-wasm-sandbox:source"] },
    ssr: { resolve: { conditions: ["llm-wasm-sandbox:source"] } },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...overrides,
    },
  });
}
