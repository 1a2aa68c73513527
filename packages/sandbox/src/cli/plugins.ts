/**
 * Runtime plugins as the CLI sees them: `--plugin` modules registered at start, and the
 * file-extension map, read from the plugins' own `fileExtension`/`extraExtensions` (so a
 * third-party runtime's files run by extension as the built-ins' do).
 */
import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { defaultRegistry, type RuntimePlugin, type RuntimeRegistry } from "@llm-wasm-sandbox/core";
import { installedRuntimes, resolveRuntime } from "../runtime-discovery.js";
import { CliUsageError } from "./errors.js";
import { LIKELY_RUNTIME } from "./likely-runtime.js";

/**
 * Imports each `--plugin` module and registers the RuntimePlugin it exports (default
 * export, or a named `plugin`). A path (`./tally.js`, `/opt/x.mjs`) is taken from the
 * current directory; a package name is looked up next to the CLI, then from the current
 * directory.
 * @throws CliUsageError when a module cannot be found or exports no plugin; PolicyValidationError when the plugin is malformed.
 */
export async function registerPluginModules(specs: readonly string[], registry: RuntimeRegistry = defaultRegistry): Promise<RuntimePlugin[]> {
  const plugins: RuntimePlugin[] = [];
  for (const spec of specs) {
    const mod = (await importPlugin(spec)) as { default?: unknown; plugin?: unknown };
    const plugin = isPluginLike(mod.default) ? mod.default : isPluginLike(mod.plugin) ? mod.plugin : null;
    if (plugin === null) throw new CliUsageError(`--plugin ${spec} exports no runtime plugin (expected a default export with specificationVersion, type and prepare)`);
    registry.register(plugin, { replace: true });
    plugins.push(plugin);
  }
  return plugins;
}

/**
 * The runtime whose plugin claims `ext` (with its dot, any case): registered plugins first,
 * then the installed built-ins (each imported only until one matches).
 */
export async function runtimeForExtension(ext: string, registry: RuntimeRegistry = defaultRegistry): Promise<string | null> {
  const wanted = ext.toLowerCase();
  const claims = (p: RuntimePlugin) => [p.fileExtension, ...(p.extraExtensions ?? [])].some((e) => e.toLowerCase() === wanted);
  const registered = registry.list().find(claims);
  if (registered) return registered.type;
  // The built-in that usually claims this extension goes first, before the installed
  // runtimes are even listed (a package lookup each): `run hello.rb` imports only the Ruby
  // plugin. Still checked against the plugin's own claim, so the hint never decides alone.
  const likely = LIKELY_RUNTIME[wanted];
  if (likely !== undefined && !registry.has(likely)) {
    // Not installed (or broken): the full search below reports a broken one.
    const plugin = await resolveRuntime(likely, registry).catch(() => null);
    if (plugin !== null && claims(plugin)) return plugin.type;
  }
  const installed = (await installedRuntimes(registry)).filter((type) => !registry.has(type));
  for (const type of installed) {
    const plugin = await resolveRuntime(type, registry);
    if (claims(plugin)) return plugin.type;
  }
  return null;
}

/** Every extension the installed and registered plugins claim, e.g. `[".js", ".lua", ".mjs", …]`. */
export async function knownExtensions(registry: RuntimeRegistry = defaultRegistry): Promise<string[]> {
  const all = new Set<string>();
  for (const type of await installedRuntimes(registry)) {
    const plugin = await resolveRuntime(type, registry);
    for (const e of [plugin.fileExtension, ...(plugin.extraExtensions ?? [])]) all.add(e.toLowerCase());
  }
  return [...all].sort();
}

async function importPlugin(spec: string): Promise<unknown> {
  const notFound = new CliUsageError(`cannot find the plugin module "${spec}": install it next to llm-wasm-sandbox, or pass its file path (./plugin.js)`);
  if (spec.startsWith(".") || isAbsolute(spec)) {
    const url = pathToFileURL(resolve(spec)).href;
    return import(/* @vite-ignore */ url).catch((error: unknown) => {
      throw isNotFound(error, url) ? notFound : error;
    });
  }
  try {
    return await import(/* @vite-ignore */ spec);
  } catch (error) {
    if (!isNotFound(error, spec)) throw error;
  }
  let path: string;
  try {
    path = createRequire(resolve("package.json")).resolve(spec);
  } catch {
    throw notFound;
  }
  return import(/* @vite-ignore */ pathToFileURL(path).href);
}

/** Shaped like a plugin; `registry.register` then checks it in full. */
function isPluginLike(v: unknown): v is RuntimePlugin {
  return typeof v === "object" && v !== null && "specificationVersion" in v && "type" in v && "prepare" in v;
}

/**
 * The module itself was not found, not one of its own imports: Node names what is missing
 * in quotes ("Cannot find module '/x/p.mjs'", "Cannot find package 'p'") and then the
 * importer ("imported from /x/p.mjs" — the plugin itself when one of its imports is
 * missing), so only the part before the importer counts.
 */
function isNotFound(e: unknown, spec: string): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== "string") return false;
  const target = spec.startsWith("file:") ? decodeURIComponent(new URL(spec).pathname) : spec;
  const subject = message.split(" imported from ")[0] as string;
  // A file is named by its path or, by some loaders, its URL.
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return subject.includes(`'${target}'`) || subject.includes(`'${spec}'`);
  // "No "exports" main defined in /…/node_modules/<spec>/package.json"
  return code === "ERR_PACKAGE_PATH_NOT_EXPORTED" && subject.includes(target);
}
