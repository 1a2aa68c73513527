import type { Options } from "tsup";

/**
 * The esbuild plugin that turns an import crossing into another subpath entry's files into
 * that entry's package subpath, left external (see subpath-self-reference.js).
 */
export declare function subpathSelfReference(packageName: string, subpaths: Readonly<Record<string, string>>): NonNullable<Options["esbuildPlugins"]>[number];
