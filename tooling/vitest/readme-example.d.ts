/** The TypeScript of the example tagged `<!-- <tag> -->` in a markdown file (see readme-example.js). */
export declare function readmeExample(markdownPath: string, tag: string): Promise<string>;

/** Runs a README example as written in a child Node process; returns its stdout (see readme-example.js). */
export declare function runReadmeExample(options: { pkgDir: string; code: string; prelude?: string; name: string; cwd?: string }): Promise<string>;
