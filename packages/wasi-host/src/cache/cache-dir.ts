import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The on-disk cache directory for instrumented modules: the explicit option, else
 * `LLM_SANDBOX_CACHE_DIR`, else `$XDG_CACHE_HOME/llm-wasm-sandbox`, else
 * `~/.cache/llm-wasm-sandbox`.
 */
export function resolveCacheDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  if (env["LLM_SANDBOX_CACHE_DIR"]) return env["LLM_SANDBOX_CACHE_DIR"];
  const base = env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
  return join(base, "llm-wasm-sandbox");
}
