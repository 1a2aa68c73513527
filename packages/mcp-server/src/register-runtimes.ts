import { defaultRegistry, type RuntimePlugin } from "llm-wasm-sandbox";

const PACKAGES = [
  "@llm-wasm-sandbox/runtime-python",
  "@llm-wasm-sandbox/runtime-javascript",
  "@llm-wasm-sandbox/runtime-ruby",
  "@llm-wasm-sandbox/runtime-lua",
  "@llm-wasm-sandbox/runtime-wasm",
] as const;

/**
 * Registers the runtime packages installed beside the server. They are resolved from
 * here rather than by the umbrella's lazy discovery, because a strict package manager
 * (pnpm) links them into this package, not into llm-wasm-sandbox. Only the plugin
 * objects load now; WebAssembly loads on first use.
 */
export async function registerInstalledRuntimes(only: readonly string[] | null): Promise<void> {
  for (const pkg of PACKAGES) {
    const type = pkg.slice(pkg.lastIndexOf("-") + 1);
    if ((only && !only.includes(type)) || defaultRegistry.has(type)) continue;
    try {
      const mod = (await import(/* @vite-ignore */ pkg)) as { default?: RuntimePlugin };
      if (mod.default) defaultRegistry.register(mod.default);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw e;
    }
  }
}
