import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { childEnv } from "./pack.js";

const run = promisify(execFile);

/**
 * Installs `packages` into a new project at `project` with plain npm, as a user would:
 * our packages come from the packed tarballs, third-party ones from the registry (or
 * npm's cache). Every published package of ours is pinned to its tarball with
 * `overrides`, so a dependency on one of them never reaches the registry — yet only
 * the ones something actually depends on are installed (an optional peer nobody
 * asked for stays out, as it would for a user).
 */
export async function installFromTarballs(
  project: string,
  packages: readonly string[],
  tarballs: ReadonlyMap<string, string>,
  /** Further `overrides` (e.g. a third-party package pinned to the oldest version we support). */
  pins: Readonly<Record<string, string>> = {},
): Promise<void> {
  const spec = (name: string) => {
    const tarball = tarballs.get(name);
    if (!tarball) throw new Error(`no tarball for ${name}: it is not a published workspace package`);
    return `file:${tarball}`;
  };
  await mkdir(project, { recursive: true });
  const manifest = {
    name: "size-check",
    private: true,
    type: "module",
    dependencies: Object.fromEntries(packages.map((name) => [name, spec(name)])),
    overrides: { ...Object.fromEntries([...tarballs.keys()].map((name) => [name, spec(name)])), ...pins },
  };
  await writeFile(join(project, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: project,
    env: childEnv(),
    maxBuffer: 16 << 20,
  });
}
