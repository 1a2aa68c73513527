import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  BUILTIN_RUNTIME_PACKAGES,
  defaultRegistry,
  isBuiltinRuntime,
  RuntimeNotInstalledError,
  type RuntimePlugin,
  type RuntimeRegistry,
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

function isModuleNotFound(e: unknown, pkg: string): boolean {
  const code = (e as { code?: string } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((e as Error).message).includes(pkg);
}
