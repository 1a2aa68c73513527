/**
 * Whether the bin may take the CLI bundle (`dist/cli-bundle.js`, see `start.ts`). The bundle
 * holds copies of packages of ours that are also installed next to this one, as ranged
 * dependencies: core and the storage adapters. While each is installed exactly as the
 * bundle was built from it, the bundle runs the code the unbundled CLI (and a library host)
 * would. Once one was changed on its own — a newer version, or the same version patched in
 * place (`pnpm patch`, patch-package, an override) — the bundle would run the old copy,
 * and the CLI and a library host could commit to the same workspace with different code:
 * then the bin loads the unbundled build, which imports what is installed.
 *
 * What is compared is a fingerprint of each package: its version and the size of each
 * JavaScript file of its `dist/` (a patch that keeps every size is not seen; hashing
 * would cost the CLI's start ~3 ms for loading node:crypto). The build writes the
 * fingerprints it bundled next to the bundle (`BUNDLED_FINGERPRINTS_FILE`); a missing or
 * unreadable list also means the unbundled build.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Our packages the bundle carries a copy of (the build inlines exactly these). */
export const BUNDLED_PACKAGES = ["@llm-wasm-sandbox/core", "@llm-wasm-sandbox/storage-disk", "@llm-wasm-sandbox/storage-memory"] as const;

/** Name of the list of bundled fingerprints, next to the bundle in `dist/`. */
export const BUNDLED_FINGERPRINTS_FILE = "cli-bundle.fingerprints.json";

/** What identifies an installed package's code: its version and the sizes of its built files. */
export interface PackageFingerprint {
  readonly version: string;
  readonly files: Record<string, number>;
}

/**
 * The fingerprint of the package whose `package.json` is at `manifestPath`.
 * @throws when the package or its `dist/` cannot be read.
 */
export function fingerprintOf(manifestPath: string): PackageFingerprint {
  const { version } = JSON.parse(readFileSync(manifestPath, "utf8")) as { version: string };
  const dist = join(dirname(manifestPath), "dist");
  const names = readdirSync(dist)
    .filter((name) => name.endsWith(".js"))
    .sort();
  return { version, files: Object.fromEntries(names.map((name) => [name, statSync(join(dist, name)).size])) };
}

/**
 * True when the list at `listFile` holds, for every package of `BUNDLED_PACKAGES`, the
 * fingerprint `installed` gives for it (null: not installed or unreadable).
 */
export function bundleIsCurrent(listFile: string, installed: (name: string) => PackageFingerprint | null): boolean {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(listFile, "utf8"));
  } catch {
    return false;
  }
  if (typeof list !== "object" || list === null) return false;
  const bundled = list as Record<string, unknown>;
  return BUNDLED_PACKAGES.every((name) => {
    const now = installed(name);
    return now !== null && JSON.stringify(bundled[name]) === JSON.stringify(now);
  });
}

/** The fingerprint of `name` as this package resolves it (what the unbundled CLI imports); null when not installed or unreadable. */
export function installedFingerprint(name: string): PackageFingerprint | null {
  try {
    return fingerprintOf(fileURLToPath(import.meta.resolve(`${name}/package.json`)));
  } catch {
    return null;
  }
}
