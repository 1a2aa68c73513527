/** Runs a cache-building task (see `cache-tasks.ts`) in a thread of wasi-host's default pool. */
import { defaultPool, resolveBuiltFile } from "@llm-wasm-sandbox/wasi-host/host";

/** A once-per-machine cache-building step. */
export type CacheTask =
  /** Unpack the standard library zip into `lib`; the result is its `.py` files. */
  | { readonly kind: "unpack-stdlib"; readonly lib: string }
  /** Compile the time zones into `dir`; the result is the file count. */
  | { readonly kind: "zoneinfo"; readonly dir: string };

let url: string | null = null;

/** Runs `task` off the main thread and returns its value. */
export function runCacheTask(task: CacheTask): Promise<unknown> {
  url ??= resolveBuiltFile(import.meta.url, "cache-tasks.js", "@llm-wasm-sandbox/runtime-python");
  return defaultPool().prepare({ preparer: url, input: task });
}
