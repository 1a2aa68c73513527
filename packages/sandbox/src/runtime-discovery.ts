import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  BUILTIN_RUNTIME_PACKAGES,
  defaultRegistry,
  isBuiltinRuntime,
  RuntimeNotInstalledError,
  type RuntimeEngine,
  type RuntimePlugin,
  type RuntimeRegistry,
  type SandboxLogger,
} from "@llm-wasm-sandbox/core";

/**
 * Finds the plugin for a runtime: the registry first, then — for built-in names —
 * the runtime's own package, imported only now, so a user who installed only the
 * Python runtime never loads the others.
 * @throws RuntimeNotInstalledError naming the package to install.
 */
export async function resolveRuntime(type: string, registry: RuntimeRegistry = defaultRegistry): Promise<RuntimePlugin> {
  const registered = registry.get(type);
  if (registered) return registered;
  if (!isBuiltinRuntime(type)) {
    throw new RuntimeNotInstalledError(type, null, await installedRuntimes(registry));
  }
  const pkg = BUILTIN_RUNTIME_PACKAGES[type];
  let mod: { default?: RuntimePlugin };
  try {
    mod = (await import(/* @vite-ignore */ pkg)) as { default?: RuntimePlugin };
  } catch (cause) {
    if (!isModuleNotFound(cause, pkg)) throw cause;
    throw new RuntimeNotInstalledError(type, pkg, await installedRuntimes(registry), { cause });
  }
  const plugin = mod.default;
  if (!plugin) throw new RuntimeNotInstalledError(type, pkg, await installedRuntimes(registry));
  if (!registry.has(type)) registry.register(plugin);
  return registry.get(type)!;
}

/** Names of the runtimes that can be used now: registered ones plus installed built-ins. */
export async function installedRuntimes(registry: RuntimeRegistry = defaultRegistry): Promise<string[]> {
  const names = new Set(registry.list().map((p) => p.type));
  for (const [type, pkg] of Object.entries(BUILTIN_RUNTIME_PACKAGES)) {
    if (names.has(type)) continue;
    try {
      if (existsSync(fileURLToPath(import.meta.resolve(pkg)))) names.add(type);
    } catch {
      // not installed
    }
  }
  return [...names].sort();
}

const engines = new WeakMap<RuntimePlugin, Promise<RuntimeEngine>>();
const loaded = new Set<RuntimePlugin>();

/** Loads a plugin's engine once per process; a failed load is retried next time. */
export function loadEngine(plugin: RuntimePlugin, options: { cacheDir?: string; logger: SandboxLogger }): Promise<RuntimeEngine> {
  let engine = engines.get(plugin);
  if (!engine) {
    engine = plugin.load({ ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), logger: options.logger });
    engines.set(plugin, engine);
    loaded.add(plugin);
    engine.catch(() => {
      engines.delete(plugin);
      loaded.delete(plugin);
    });
  }
  return engine;
}

/** Closes every engine loaded so far in this process (workers, compiled modules). */
export async function closeAllEngines(): Promise<void> {
  for (const plugin of [...loaded]) {
    loaded.delete(plugin);
    const engine = engines.get(plugin);
    if (!engine) continue;
    engines.delete(plugin);
    await engine.then((e) => e.close()).catch(() => {});
  }
}

function isModuleNotFound(e: unknown, pkg: string): boolean {
  const code = (e as { code?: string } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((e as Error).message).includes(pkg);
}
