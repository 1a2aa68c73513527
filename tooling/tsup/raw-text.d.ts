import type { Options } from "tsup";

/**
 * The esbuild plugin that inlines `import text from "./file.ext?raw"` as a string (guest
 * code in real files). `packageConfig` installs it in every package's build.
 */
export declare const rawTextPlugin: NonNullable<Options["esbuildPlugins"]>[number];
