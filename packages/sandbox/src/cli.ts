#!/usr/bin/env node
/**
 * The `llm-wasm-sandbox` bin. `run` needs a pool thread, and a thread takes ~80 ms to boot
 * and load its worker entry: it is started first, so it boots on another core while this
 * one loads commander, core, zod and the runtime plugin (wasi-host `pool/pool-threads.ts`).
 * It also gets the start hint of the runtime the command line most likely uses: what the
 * previous run of that runtime loaded, which the thread starts preparing from the disk
 * cache right away (wasi-host `start-hint/start-hint.ts`), and the V8 wasm flags tuned for
 * this one-shot process, which it sets once it has booted (`cli/wasm-flags.ts`). These are
 * this file's only static imports; zod and the command line load after them, bundled
 * unless a plugin may load (`cli/start.ts`) or the bundle's copies of our packages are not
 * what is installed (`cli/bundle-current.ts`).
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { prestartPool, type PrestartHint } from "@llm-wasm-sandbox/wasi-host/prestart";
import { BUNDLED_FINGERPRINTS_FILE, bundleIsCurrent, installedFingerprint } from "./cli/bundle-current.js";
import { LIKELY_RUNTIME, likelyRuntimeOf } from "./cli/likely-runtime.js";
import { cliWasmFlags } from "./cli/wasm-flags.js";
import type * as start from "./cli/start.js";

type CliStart = typeof start;

/** `cli/start.ts` built as one file with core's main entry, zod and commander (tsup.config.ts). */
const BUNDLE = new URL("./cli-bundle.js", import.meta.url).href;

if (process.argv[2] === "run") {
  const likely = likelyRuntimeOf(process.argv.slice(3));
  const v8Flags = cliWasmFlags(likely);
  const hint = startHint(likely, v8Flags);
  try {
    prestartPool({}, hint);
  } catch {
    // A missing build: the run reports it with its own message.
  }
  // No thread to set them once booted: set now, before anything compiles.
  if (hint === undefined) for (const flag of v8Flags) setFlagsFromString(flag);
}
const bundled = !mayLoadPlugins(process.argv) && bundleIsCurrent(fileURLToPath(new URL(`./${BUNDLED_FINGERPRINTS_FILE}`, import.meta.url)), installedFingerprint);
const { main } = bundled ? ((await import(BUNDLE)) as CliStart) : await import("./cli/start.js");
await main(process.argv);

/**
 * True when the command line may load a `--plugin` module (see `cli/start.ts`). After `run`'s
 * file, arguments belong to the program, so this may say yes needlessly: that run only
 * loads the slower, unbundled build.
 */
function mayLoadPlugins(argv: readonly string[]): boolean {
  return argv.slice(2).some((arg) => arg === "--plugin" || arg.startsWith("--plugin="));
}

/** The hint of `runtime`; drivers may be imported ahead only from its installed package's build. */
function startHint(runtime: string | null, v8Flags: readonly string[]): PrestartHint | undefined {
  if (runtime === null) return undefined;
  if (!Object.values(LIKELY_RUNTIME).includes(runtime)) return { name: runtime, v8Flags };
  try {
    return { name: runtime, v8Flags, driverDir: dirname(fileURLToPath(import.meta.resolve(`@llm-wasm-sandbox/runtime-${runtime}`))) };
  } catch {
    return { name: runtime, v8Flags }; // not installed: the run says so
  }
}
