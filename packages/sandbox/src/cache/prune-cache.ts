import { parseOrThrow } from "@llm-wasm-sandbox/core";
import { pruneCache as pruneCacheDir, resolveCacheDir, type PruneCacheResult, type PrunedEntry } from "@llm-wasm-sandbox/wasi-host/host";
import { z } from "zod";

export type { PruneCacheResult, PrunedEntry };

/** Options of `pruneCache`. */
export interface PruneCacheOptions {
  /** The cache directory (default: the one hosts use, `$LLM_SANDBOX_CACHE_DIR` or `~/.cache/llm-wasm-sandbox`). */
  readonly cacheDir?: string;
  /** Delete entries unused for more than this many days. Default 30. 0 empties the cache: do that only while no host is running. */
  readonly maxAgeDays?: number;
  /** Only report what would be deleted. */
  readonly dryRun?: boolean;
}

const OptionsSchema = z
  .object({
    cacheDir: z.string().min(1).optional(),
    maxAgeDays: z.number().min(0).max(36_500).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes cache entries (instrumented modules, snapshots, unpacked standard libraries)
 * nobody used for `maxAgeDays`. Hosts do this on their own once a day
 * (`createSandboxHost({ cacheMaxAgeDays })`); this is the by-hand form, also behind
 * `llm-wasm-sandbox cache prune`. Everything in the cache is rebuilt when next needed.
 *
 * ```ts
 * const { freedBytes } = await pruneCache({ maxAgeDays: 7 });
 * ```
 * @throws PolicyValidationError for bad options.
 */
export async function pruneCache(options: PruneCacheOptions = {}): Promise<PruneCacheResult> {
  const opts = parseOrThrow(OptionsSchema, options, "pruneCache options") as PruneCacheOptions;
  return pruneCacheDir({
    cacheDir: resolveCacheDir(opts.cacheDir),
    maxAgeMs: (opts.maxAgeDays ?? 30) * DAY_MS,
    ...(opts.dryRun ? { dryRun: true } : {}),
  });
}
