/**
 * The Ruby runtime plugin: CRuby 3.4 (`@ruby/3.4-wasm-wasi`, a WASI reactor with the
 * standard library packed inside) driven through its exports. `ruby-init` costs close to
 * a second of CPU, so the host takes a snapshot of the initialized VM once (per mount
 * layout) and every execution restores it into a fresh instance, then evaluates one line
 * that runs /app/user_code.rb. The sandbox's Ruby is in guest/*.rb, inlined into the driver.
 */
import { createRequire } from "node:module";
import type { ImageSource, RuntimePlugin } from "@llm-wasm-sandbox/core";
import { RuntimeType } from "@llm-wasm-sandbox/core/runtime-type";
import { GUEST_HOME_ENV, INTERNAL_DIR } from "@llm-wasm-sandbox/core/workspace-path";
import { CONTROL_DEVICE_PATH, resolveBuiltFile } from "@llm-wasm-sandbox/wasi-host/host";
import { parseRubyDriverData } from "./driver-data.js";
import { interpretRubyRun } from "./interpret.js";
import { STACK_LAYOUT_ID } from "./stack-layout/layout.js";

const require = createRequire(import.meta.url);
const pkg = require("../package.json") as { name: string; version: string };

/** The interpreter's version (`RUBY_VERSION` of the packaged build). */
export const RUBY_VERSION = "3.4.1";

/** Guest path of the user's program (a seed file, not part of the journal). */
export const USER_CODE_PATH = "/app/user_code.rb";

/** Guest path of the `$state` file (guest/state.rb; hidden from listings by the umbrella). */
export const STATE_GUEST_PATH = `/app/${INTERNAL_DIR}/ruby_state.marshal`;

/** npm package and file of the binary. */
export const RUBY_WASM = "@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm";

let image: ImageSource | null = null;
let driver: string | null = null;

/** The binary, rewritten (dist/stack-layout.js, in the pool thread) so recursion through blocks gets deep. */
function rubyImage(): ImageSource {
  image ??= {
    id: `${pkg.name}@${pkg.version}/ruby+stdlib.wasm`,
    name: "ruby+stdlib.wasm",
    load: async () => require.resolve(RUBY_WASM),
    // The snapshot needs `__stack_pointer` and the asyncify globals.
    exportMutableGlobals: true,
    transform: { id: STACK_LAYOUT_ID, module: resolveBuiltFile(import.meta.url, "stack-layout.js", pkg.name) },
  };
  return image;
}

/** The Ruby runtime plugin. The 30 MB binary loads only when the host first runs it. */
export const rubyPlugin: RuntimePlugin = Object.freeze({
  specificationVersion: "v2",
  type: RuntimeType.RUBY,
  displayName: "Ruby (CRuby 3.4)",
  languageVersion: `CRuby ${RUBY_VERSION}`,
  fileExtension: ".rb",
  packageName: pkg.name,
  version: pkg.version,
  // Calibrated on tooling/fidelity's agent-program corpus (`pnpm bench` there): ≥ 95 % of
  // it fits, while `while True: pass` still spends it well inside the default 30 s.
  defaults: { fuelBudget: 20_000_000_000 },
  warmSessions: true,
  prepare(request) {
    driver ??= resolveBuiltFile(import.meta.url, "driver.js", pkg.name);
    // wasi-libc reads the preopens during ruby-init and keeps them in linear memory, so a
    // snapshot fits only runs with the same mount layout: one snapshot per layout.
    const mountPaths = request.mounts.map((m) => m.guestPath);
    return {
      kind: "run",
      image: rubyImage(),
      driver,
      driverData: parseRubyDriverData({
        mode: "run",
        run: {
          path: USER_CODE_PATH,
          argv: request.args,
          statePath: request.autoPersistGlobals ? STATE_GUEST_PATH : null,
          controlPath: CONTROL_DEVICE_PATH,
        },
      }),
      argv: ["ruby", USER_CODE_PATH, ...request.args],
      envAdditions: GUEST_HOME_ENV,
      snapshot: { key: JSON.stringify({ mounts: mountPaths, layout: STACK_LAYOUT_ID }), driverData: parseRubyDriverData({ mode: "snapshot" }), mountPaths },
    };
  },
  interpret: (raw, request) => interpretRubyRun(raw, request.autoPersistGlobals),
} satisfies RuntimePlugin);
