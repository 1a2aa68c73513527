/**
 * The Ruby engine: CRuby 3.4 (`@ruby/3.4-wasm-wasi`, a WASI reactor with the standard
 * library packed inside) driven through its exports on top of wasi-host.
 *
 * `ruby-init` costs close to a second of CPU, so it runs once per process and mount
 * layout (see `snapshot-cache.ts`); every execution is a fresh instance restored from
 * that snapshot, then evaluates one line that runs /app/user_code.rb.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { ExecutionRequest, RawRun, RunInterpretation, RuntimeEngine, RuntimeLoadOptions } from "@llm-wasm-sandbox/core";
import { ruby as rubyState } from "@llm-wasm-sandbox/state";
import { loadModule, resolveBuiltFile, run, runLimitsFromPolicy, type MeteredImage } from "@llm-wasm-sandbox/wasi-host";
import { USER_CODE_PATH, runScript } from "./bootstrap.js";
import { interpretRubyRun } from "./interpret.js";
import { SnapshotCache } from "./snapshot-cache.js";
import type { RubyDriverData } from "./snapshot-transfer.js";

/** The interpreter's version (`RUBY_VERSION` of the packaged build). */
export const RUBY_VERSION = "3.4.1";

/** npm package and file of the binary. */
export const RUBY_WASM = "@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm";

let imagePromise: Promise<MeteredImage> | null = null;

/**
 * Loads ruby+stdlib.wasm once per process, metered, with its mutable globals exported
 * (the snapshot needs `__stack_pointer` and the asyncify globals). wasi-host caches the
 * instrumented module on disk.
 */
export function loadRubyImage(cacheDir?: string): Promise<MeteredImage> {
  imagePromise ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve(RUBY_WASM);
    const bytes = new Uint8Array(await readFile(wasmPath));
    return loadModule(bytes, { name: "ruby+stdlib.wasm", exportMutableGlobals: true, ...(cacheDir ? { cacheDir } : {}) });
  })();
  imagePromise.catch(() => {
    imagePromise = null; // a later load retries instead of caching the failure
  });
  return imagePromise;
}

/** Creates the Ruby engine (compiles or loads the metered module; the VM snapshot is taken on first use). */
export async function createRubyEngine(load: RuntimeLoadOptions): Promise<RuntimeEngine> {
  const image = await loadRubyImage(load.cacheDir);
  const driver = resolveBuiltFile(import.meta.url, "driver.js");
  const snapshots = SnapshotCache.shared(image, driver);
  // Boot the VM for the common layout (no extra mounts) now, in a worker, so the first
  // execute does not wait for it from scratch; failures surface on that execute.
  void snapshots.get([]).catch(() => undefined);

  return {
    languageVersion: `CRuby ${RUBY_VERSION}`,

    async execute(request: ExecutionRequest): Promise<RawRun> {
      const snapshot = await snapshots.get(request.mounts.map((m) => m.guestPath));
      const p = request.policy;
      const data: RubyDriverData = {
        mode: "run",
        image: snapshot,
        script: runScript({
          env: p.env,
          args: request.args ?? [],
          statePath: request.autoPersistGlobals ? rubyState.STATE_GUEST_PATH : null,
        }),
      };
      const limits = runLimitsFromPolicy(p);
      return run({
        image,
        driver,
        driverData: data,
        argv: ["ruby", USER_CODE_PATH, ...(request.args ?? [])],
        env: { ...p.env },
        workspace: request.workspace,
        mounts: request.mounts,
        seedFiles: { "user_code.rb": new TextEncoder().encode(request.code) },
        limits,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },

    interpret(raw: RawRun, request: ExecutionRequest): RunInterpretation {
      return interpretRubyRun(raw, request.autoPersistGlobals);
    },

    async close(): Promise<void> {
      // The compiled module, the snapshots and the worker pool are process-wide (shared by
      // every engine); nothing here is per-engine.
    },
  };
}
