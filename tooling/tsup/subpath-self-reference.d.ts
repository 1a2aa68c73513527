import type { Options } from "tsup";

/**
 * The esbuild plugin that turns an import crossing into another subpath entry's files into
 * that entry's package subpath, left external (see subpath-self-reference.js). A subpath
 * names its entry file, or the files and directories (ending in `/`) that are its files.
 */
export declare function subpathSelfReference(packageName: string, subpaths: Readonly<Record<string, string | readonly string[]>>): NonNullable<Options["esbuildPlugins"]>[number];
