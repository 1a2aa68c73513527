import type { BuildOptions } from "esbuild";

/** esbuild options for bundling child-process test fixtures against workspace sources (see bundle-options.js). */
export declare const NODE_BUNDLE_OPTIONS: Readonly<BuildOptions>;
