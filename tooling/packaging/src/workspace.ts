import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The fields of a package.json these checks read. */
export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly description?: string;
  readonly keywords?: readonly string[];
  readonly homepage?: string;
  readonly bugs?: string;
  readonly repository?: { readonly type: string; readonly url: string; readonly directory: string };
  readonly license?: string;
  readonly type?: string;
  readonly sideEffects?: boolean;
  readonly engines?: Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  readonly bin?: Readonly<Record<string, string>>;
  readonly files?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/** A workspace package: where it lives (relative to the root) and its manifest. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly manifest: PackageJson;
}

/** Every package the repository publishes (not `private`), from packages/ and runtimes/. */
export function publishedPackages(): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const parent of ["packages", "runtimes"]) {
    for (const name of readdirSync(join(REPO_ROOT, parent)).sort()) {
      const file = join(REPO_ROOT, parent, name, "package.json");
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, "utf8")) as PackageJson;
      if (!manifest.private) found.push({ dir: `${parent}/${name}`, manifest });
    }
  }
  return found;
}
