import type { Options } from "tsup";

/**
 * The one tsup setup of every published package: ESM only, declarations (their TSDoc
 * kept), source maps, a clean dist/, Node 20 syntax. A package names its entries and
 * changes only what it must (e.g. `dts` for a CLI entry that exports nothing).
 */
export declare function packageConfig(options: Options & { entry: NonNullable<Options["entry"]> }): Options;
