/**
 * Which built-in runtime a `run` command line most likely needs, read from argv alone —
 * before commander, core or any plugin is loaded. Used only for head starts (which plugin
 * to import first, which start hint to hand the pre-started pool thread), never as the
 * answer: the plugins' own extension claims and commander's parse decide.
 */
import { extname } from "node:path";

/** The built-in runtime each common extension usually belongs to. */
export const LIKELY_RUNTIME: Readonly<Record<string, string>> = {
  ".py": "python",
  ".js": "javascript",
  ".mjs": "javascript",
  ".rb": "ruby",
  ".lua": "lua",
  ".wat": "wasm",
  ".wasm": "wasm",
};

/** Options of `run` that take a value (the next argument, unless written `--opt=value`). */
const VALUE_OPTIONS = new Set(["-c", "--code", "-e", "--eval", "--fuel", "--memory", "--timeout", "--config", "-s", "--session", "-w", "--workspace", "--env", "--external"]);

/**
 * The runtime `run <args>` most likely uses: `--runtime`/`-r` when given before the file,
 * else the one the file's extension usually belongs to; null when it cannot tell, or when
 * `--plugin` may bring a runtime of its own.
 */
export function likelyRuntimeOf(args: readonly string[]): string | null {
  let runtime: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--plugin" || arg.startsWith("--plugin=")) return null;
    if (arg === "-r" || arg === "--runtime") runtime = args[++i] ?? null;
    else if (arg.startsWith("--runtime=")) runtime = arg.slice("--runtime=".length);
    else if (VALUE_OPTIONS.has(arg)) i++;
    else if (arg === "-" || !arg.startsWith("-")) {
      // The first positional: the file (or, with inline code, the program's first argument).
      return runtime ?? LIKELY_RUNTIME[extname(arg).toLowerCase()] ?? null;
    }
  }
  return runtime;
}
