import { defineProject, type UserWorkspaceConfig } from "vitest/config";

/**
 * Per-package vitest project settings. Tests import workspace packages through
 * their `source` export condition, so they run against `src/` without a build.
 */
export function packageProject(name: string, overrides: UserWorkspaceConfig["test"] = {}) {
  return defineProject({
    resolve: { conditions: ["source"] },
    ssr: { resolve: { conditions: ["source"] } },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...overrides,
    },
  });
}
