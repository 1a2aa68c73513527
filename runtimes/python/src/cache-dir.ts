import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The on-disk cache directory, by the same rule as wasi-host's module cache: the option,
 * else `LLM_SANDBOX_CACHE_DIR`, else `$XDG_CACHE_HOME/llm-wasm-sandbox`, else
 * `~/.cache/llm-wasm-sandbox`.
 */
export function resolveCacheDir(explicit: string | undefined): string {
  if (explicit) return explicit;
  if (process.env.LLM_SANDBOX_CACHE_DIR) return process.env.LLM_SANDBOX_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "llm-wasm-sandbox");
}
