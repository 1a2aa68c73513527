import { BUILTIN_RUNTIME_PACKAGES, type BuiltinRuntimeType } from "@llm-wasm-sandbox/core";
import { defaultRegistry, type RuntimePlugin } from "llm-wasm-sandbox";
import { addPackageHint, importOptional } from "./optional-package.js";

/** A built-in runtime whose package is not installed, and how to add it. */
export interface MissingRuntime {
  readonly language: BuiltinRuntimeType;
  readonly package: string;
  /** How to install it next to the server, for a person or an LLM to act on. */
  readonly install: string;
}

/**
 * Registers the runtime packages installed beside the server: Python and JavaScript
 * always (its dependencies, what most agents run), Ruby, Lua and raw WebAssembly when
 * someone installed them next to it (optional peer dependencies). They are resolved from
 * here rather than by the umbrella's lazy discovery, because a strict package manager
 * (pnpm) links them into this package, not into llm-wasm-sandbox. Only the plugin
 * objects load now; WebAssembly loads on first use.
 * @param only `--runtimes`: the languages to offer (null: every installed one).
 * @returns the built-in runtimes that are not installed — none when `only` is given: the
 *   languages it leaves out are not offered either way, and a missing one it names throws.
 * @throws Error naming the package to install when `only` asks for one of them.
 */
export async function registerInstalledRuntimes(only: readonly string[] | null): Promise<MissingRuntime[]> {
  const missing: MissingRuntime[] = [];
  for (const [language, pkg] of Object.entries(BUILTIN_RUNTIME_PACKAGES) as Array<[BuiltinRuntimeType, string]>) {
    if (defaultRegistry.has(language)) continue;
    const mod = await importOptional<{ default?: RuntimePlugin }>(pkg);
    if (!mod) missing.push({ language, package: pkg, install: addPackageHint(pkg) });
    else if (mod.default && (!only || only.includes(language))) defaultRegistry.register(mod.default);
  }
  const asked = missing.filter((m) => only?.includes(m.language));
  if (asked.length > 0) {
    throw new Error(`--runtimes asks for ${asked.map((m) => m.language).join(", ")}, which ${asked.length > 1 ? "are" : "is"} not installed: ${asked.map((m) => m.install).join("; ")}`);
  }
  return only ? [] : missing;
}

/**
 * The answer to a request for a language this server does not offer: what it offers and,
 * for a built-in runtime that is not installed, how to add it.
 */
export function unknownLanguage(requested: unknown, offered: readonly string[], notInstalled: readonly MissingRuntime[] = []): string {
  const name = typeof requested === "string" ? requested : String(requested);
  const missing = notInstalled.find((m) => m.language === name);
  const hint = missing ? `; ${missing.language} is not installed: ${missing.install}` : "";
  return `unknown language ${JSON.stringify(name.slice(0, 40))}; this server offers: ${offered.join(", ") || "none"}${hint}`;
}
