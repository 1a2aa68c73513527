import type { UserWorkspaceConfig } from "vitest/config";

/** Per-package vitest project settings (see shared.js). */
export declare function packageProject(name: string, overrides?: UserWorkspaceConfig["test"]): UserWorkspaceConfig;
