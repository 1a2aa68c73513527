import { type Command, InvalidArgumentError } from "commander";
import { pruneCache } from "../cache/prune-cache.js";
import { cliErrorMessage } from "./errors.js";
import { formatBytes } from "./format.js";

/** `llm-wasm-sandbox cache prune`: delete cache entries unused for a while. */
export function registerCacheCommand(program: Command): void {
  const cache = program.command("cache").description("manage the on-disk cache of instrumented runtimes and snapshots");
  cache
    .command("prune")
    .description("delete cache entries unused for a while (everything is rebuilt when next needed)")
    .option("--cache-dir <dir>", "cache directory (default: $LLM_SANDBOX_CACHE_DIR or ~/.cache/llm-wasm-sandbox)")
    .option("--older-than-days <days>", "delete entries unused for more than this many days (0 empties the cache)", days, 30)
    .option("--dry-run", "only report what would be deleted")
    .option("--json", "print JSON")
    .action(async (flags: { cacheDir?: string; olderThanDays: number; dryRun?: boolean; json?: boolean }) => {
      try {
        const result = await pruneCache({
          ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
          maxAgeDays: flags.olderThanDays,
          dryRun: flags.dryRun ?? false,
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        for (const entry of result.removed) process.stdout.write(`${formatBytes(entry.bytes).padStart(10)}  ${entry.ageDays} days  ${entry.name}\n`);
        for (const entry of result.failed) process.stderr.write(`could not delete ${entry.name}: ${entry.error}\n`);
        const verb = result.dryRun ? "would free" : "freed";
        process.stdout.write(`${verb} ${formatBytes(result.freedBytes)} (${result.removed.length} entries); ${formatBytes(result.keptBytes)} kept\n`);
        if (result.failed.length > 0) process.exitCode = 1;
      } catch (e) {
        process.stderr.write(`${cliErrorMessage(e)}\n`);
        process.exitCode = 2;
      }
    });
}

function days(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError("a non-negative number of days");
  return n;
}
