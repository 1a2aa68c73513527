import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { packageConfig } from "@llm-wasm-sandbox/tsup-config";
import { BUNDLED_FINGERPRINTS_FILE, BUNDLED_PACKAGES, fingerprintOf } from "./src/cli/bundle-current.js";

/** The fingerprints of our packages the bundle inlines, as installed for this build (see src/cli/bundle-current.ts). */
function writeBundledFingerprints(): void {
  const require = createRequire(`${process.cwd()}/package.json`);
  const fingerprints = Object.fromEntries(BUNDLED_PACKAGES.map((name) => [name, fingerprintOf(require.resolve(`${name}/package.json`))]));
  writeFileSync(`dist/${BUNDLED_FINGERPRINTS_FILE}`, `${JSON.stringify(fingerprints, null, 2)}\n`);
}

/**
 * zod's classic API namespace carries all its ~60 locales (`z.locales`), ~400 KB of the
 * CLI bundle that the CLI never selects: it validates with zod's default, English (set by
 * zod itself when the first schema is built). In the bundle only, `z.locales` holds `en`.
 */
const zodEnglishOnly: NonNullable<Parameters<typeof packageConfig>[0]["esbuildPlugins"]>[number] = {
  name: "llm-wasm-sandbox-zod-english-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";', loader: "js" }));
  },
};

export default [
  // cli.ts is the bin: it exports nothing, so only the index has declarations.
  packageConfig({ entry: ["src/index.ts", "src/cli.ts"], dts: { entry: "src/index.ts" } }),
  // The bin's usual path (see src/cli/start.ts): one file with core's main entry, zod,
  // commander and the storage adapters. Left external: wasi-host (its pool and caches are
  // shared with the runtime plugins), core's zod-free subpaths (one instance of each error
  // class), host-files and the runtime plugins (installed separately, at their own versions).
  packageConfig({
    entry: { "cli-bundle": "src/cli/start.ts" },
    dts: false,
    clean: false,
    // One file, evaluated in import order: zod's configuration before core's schemas are built.
    splitting: false,
    noExternal: [/^zod$/, /^commander$/, ...BUNDLED_PACKAGES.map((name) => new RegExp(`^${name}$`))],
    esbuildPlugins: [zodEnglishOnly],
    // commander is CommonJS: its require() of Node built-ins needs a real require.
    banner: { js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);' },
    // The bin takes the bundle only while these packages are installed as they were built from.
    onSuccess: async () => writeBundledFingerprints(),
  }),
];
