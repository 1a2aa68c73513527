import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { publishedPackages, REPO_ROOT } from "../workspace.js";

const run = promisify(execFile);
/** `pnpm pack` spends its time starting Node; a few at once keep two cores busy. */
const PACK_CONCURRENCY = 3;

/**
 * Packs every published package with `pnpm pack` (which rewrites `workspace:` and
 * `catalog:` ranges to real versions, as `pnpm publish` does) into `destination`.
 * Needs a build: a package without `dist/` is an error, never a silently smaller tarball.
 * @returns package name → absolute tarball path
 */
export async function packPublishedPackages(destination: string): Promise<Map<string, string>> {
  const packages = publishedPackages();
  const unbuilt = packages.filter((p) => !existsSync(join(REPO_ROOT, p.dir, "dist")));
  if (unbuilt.length > 0) throw new Error(`not built: ${unbuilt.map((p) => p.dir).join(", ")} — run \`pnpm build\` first`);
  // Each package packs into its own directory, so concurrent packs never mix up their files.
  const packed = await mapConcurrently(packages, PACK_CONCURRENCY, async ({ dir, manifest }, i) => {
    const into = join(destination, String(i));
    await mkdir(into);
    await run("pnpm", ["pack", "--pack-destination", into], { cwd: join(REPO_ROOT, dir), env: childEnv() });
    const files = (await readdir(into)).filter((f) => f.endsWith(".tgz"));
    if (files.length !== 1) throw new Error(`pnpm pack in ${dir} produced ${files.length} tarballs`);
    return [manifest.name, join(into, files[0]!)] as const;
  });
  return new Map(packed);
}

/** The parent's environment minus vitest's own variables (children run their own tools). */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("VITEST") && k !== "NODE_OPTIONS" && k !== "TEST") env[k] = v;
  return env;
}

/** `fn` over `items`, at most `limit` at a time, results in input order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
