import { readdirSync } from "node:fs";
import { packageConfig } from "@llm-wasm-sandbox/tsup-config";
import { subpathSelfReference } from "@llm-wasm-sandbox/tsup-config/subpath-self-reference";

// The files worker threads load by URL (see THREAD_DIR in src/resolve-built-file.ts) are a build of their own,
// in dist/thread/: built with the main entries, the modules both share split them into
// ~20 chunk files, each one more file a new thread loads before its first run (~1 ms
// each). What the drivers share with the thread (the VFS, WASI and emscripten layers,
// ProcExit: classes and state that must be one instance per thread) is not bundled in
// it: its imports of those files become `@llm-wasm-sandbox/wasi-host/driver`, the very
// module every runtime's driver imports.
const drivers = Object.fromEntries(
  readdirSync(new URL("./src/drivers", import.meta.url))
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .map((file) => [`drivers/${file.slice(0, -3)}`, `src/drivers/${file}`]),
);

/** The `./driver` entry's own files: what thread files import through the subpath. */
const DRIVER_FILES = ["src/driver.ts", "src/define-driver.ts", "src/require-image.ts", "src/types.ts", "src/vfs/", "src/wasi/", "src/emscripten/"];

export default [
  packageConfig({
    entry: {
      index: "src/index.ts",
      "wasm-binary/index": "src/wasm-binary/index.ts",
      prestart: "src/prestart.ts",
      host: "src/host.ts",
      driver: "src/driver.ts",
    },
    dts: { entry: { index: "src/index.ts", driver: "src/driver.ts", "wasm-binary/index": "src/wasm-binary/index.ts", prestart: "src/prestart.ts", host: "src/host.ts" } },
    splitting: true,
    // dist/thread/ is the other build's.
    clean: ["!thread/**"],
  }),
  packageConfig({
    entry: {
      "pool/thread-entry": "src/pool/thread-entry.ts",
      "start-hint/worker-entry": "src/start-hint/worker-entry.ts",
      worker: "src/worker.ts",
      "session-worker": "src/session-worker/entry.ts",
      "cache/prepare-image": "src/cache/prepare-image.ts",
      "cache/instrument-cached": "src/cache/instrument-cached.ts",
      "snapshot/persist-snapshot": "src/snapshot/persist-snapshot.ts",
      ...drivers,
    },
    outDir: "dist/thread",
    dts: false,
    splitting: true,
    esbuildPlugins: [subpathSelfReference("@llm-wasm-sandbox/wasi-host", { driver: DRIVER_FILES })],
  }),
];
