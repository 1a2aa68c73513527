/**
 * Whether the bin may take the CLI bundle (`dist/cli-bundle.js`, see `start.ts`). The bundle
 * holds copies of packages of ours that are also installed next to this one, as ranged
 * dependencies: core and the storage adapters. While each is installed at the version the
 * bundle was built from, the bundle runs exactly the code the unbundled CLI (and a library
 * host) would. Once one was updated on its own — a patched storage adapter, a newer core —
 * the bundle would run the old copy, and the CLI and a library host could commit to the
 * same workspace with different code: then the bin loads the unbundled build, which
 * imports what is installed. The build writes the versions it bundled next to the bundle
 * (`BUNDLED_VERSIONS_FILE`); a missing or unreadable list also means the unbundled build.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Our packages the bundle carries a copy of (the build inlines exactly these). */
export const BUNDLED_PACKAGES = ["@llm-wasm-sandbox/core", "@llm-wasm-sandbox/storage-disk", "@llm-wasm-sandbox/storage-memory"] as const;

/** Name of the list of bundled versions, next to the bundle in `dist/`. */
export const BUNDLED_VERSIONS_FILE = "cli-bundle.versions.json";

/**
 * True when the list at `versionsFile` names every package of `BUNDLED_PACKAGES` at the
 * version `installedVersion` reports for it.
 */
export function bundleIsCurrent(versionsFile: string, installedVersion: (name: string) => string | null): boolean {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(versionsFile, "utf8"));
  } catch {
    return false;
  }
  if (typeof list !== "object" || list === null) return false;
  const bundled = list as Record<string, unknown>;
  return BUNDLED_PACKAGES.every((name) => typeof bundled[name] === "string" && bundled[name] === installedVersion(name));
}

/** The version of `name` that this package resolves (what the unbundled CLI imports); null when not installed or unreadable. */
export function installedVersion(name: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve(`${name}/package.json`)), "utf8")) as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : null;
  } catch {
    return null;
  }
}
