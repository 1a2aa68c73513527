/**
 * The JavaScript runtime plugin: QuickJS-NG's wasm (from
 * `@jitl/quickjs-ng-wasmfile-release-sync`), metered, run by this package's driver in a
 * worker with the sandbox's globals over the run's virtual filesystem.
 */
import { createRequire } from "node:module";
import type { ImageSource, ReadonlyMount, RuntimePlugin } from "@llm-wasm-sandbox/core";
import { RuntimeType } from "@llm-wasm-sandbox/core/runtime-type";
import { GUEST_HOME_ENV } from "@llm-wasm-sandbox/core/workspace-path";
import { resolveBuiltFile } from "@llm-wasm-sandbox/wasi-host/host";
import { parseJavaScriptDriverData } from "./driver/driver-data.js";
import { VENDOR_DIR } from "./driver/module-resolution.js";
import { interpretJavaScriptRun } from "./interpret.js";
import { VENDOR_FILES } from "./vendor-files.js";

const require = createRequire(import.meta.url);
const pkg = require("../package.json") as { name: string; version: string };

/** QuickJS-NG version inside the pinned `@jitl/quickjs-ng-wasmfile-release-sync` build. */
export const QUICKJS_VERSION = "QuickJS-NG (quickjs-emscripten 0.32.0)";

/** Guest path of the user's code (a seed file: not journaled, not persisted). */
export const USER_CODE_GUEST_PATH = "/app/user_code.js";

/** Options of `createJavaScriptPlugin`. */
export interface JavaScriptPluginOptions {
  /**
   * QuickJS stack limit in bytes. Default: a quarter of the worker thread's stack, so
   * deep recursion is a catchable `RangeError` before V8's own stack runs out.
   */
  readonly maxStackBytes?: number;
}

const image: ImageSource = {
  id: `${pkg.name}@${pkg.version}/quickjs-ng.wasm`,
  name: "quickjs-ng.wasm",
  // A path (not bytes): the host skips re-reading and re-hashing an unchanged file.
  load: async () => require.resolve("@jitl/quickjs-ng-wasmfile-release-sync/wasm"),
};

const encoder = new TextEncoder();
const vendorMount: ReadonlyMount = {
  guestPath: VENDOR_DIR,
  files: Object.fromEntries(Object.entries(VENDOR_FILES).map(([name, src]) => [name, encoder.encode(src)])),
};

let driver: string | null = null;

/** Creates a JavaScript plugin with options; QuickJS loads only when the host first runs it. */
export function createJavaScriptPlugin(options: JavaScriptPluginOptions = {}): RuntimePlugin {
  return Object.freeze({
    specificationVersion: "v2",
    type: RuntimeType.JAVASCRIPT,
    displayName: "JavaScript (QuickJS-NG)",
    languageVersion: QUICKJS_VERSION,
    fileExtension: ".js",
    extraExtensions: [".mjs"],
    packageName: pkg.name,
    version: pkg.version,
    // Calibrated on tooling/fidelity's agent-program corpus (`pnpm bench` there): ≥ 95 % of
    // it fits, while `while True: pass` still spends it well inside the default 30 s.
    defaults: { fuelBudget: 20_000_000_000 },
    warmSessions: true,
    prepare(request) {
      driver ??= resolveBuiltFile(import.meta.url, "driver.js", pkg.name);
      return {
        kind: "run",
        image,
        driver,
        driverData: parseJavaScriptDriverData({
          entry: USER_CODE_GUEST_PATH,
          autoPersistGlobals: request.autoPersistGlobals,
          ...(options.maxStackBytes !== undefined ? { maxStackBytes: options.maxStackBytes } : {}),
        }),
        argv: ["qjs", USER_CODE_GUEST_PATH, ...request.args],
        envAdditions: GUEST_HOME_ENV,
        mounts: [vendorMount],
      };
    },
    interpret: (raw, request) => interpretJavaScriptRun(raw, request.autoPersistGlobals),
  } satisfies RuntimePlugin);
}

/** The JavaScript runtime plugin with default options. */
export const javascriptPlugin: RuntimePlugin = createJavaScriptPlugin();
