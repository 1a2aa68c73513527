/**
 * Vitest global setup: tests never run a stale build. Test files import the packages'
 * `src/` (the source export condition), but worker threads load built files from `dist/`
 * (the pool's worker, runtime drivers, preparers) — so an edited driver would silently run
 * its old build. Before any test starts, every package whose sources (or build config) are
 * newer than its `dist/` is rebuilt with its own `build` script, dependencies first. After
 * a fresh `pnpm build` (as CI runs it) nothing is stale and this costs one directory walk.
 * (Plain JS: vitest loads config dependencies from node_modules without transpiling.)
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const workspaceRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Newest mtime under `dir` of files `keep` accepts (0 when none). */
function newest(dir, keep) {
  let max = 0;
  if (!existsSync(dir)) return max;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (keep(path)) max = Math.max(max, statSync(path).mtimeMs);
  }
  return max;
}

/** Oldest mtime of the built JavaScript directly in `dist/` (Infinity when there is none). */
function oldestBuild(dist) {
  if (!existsSync(dist)) return -Infinity;
  const built = readdirSync(dist).filter((name) => name.endsWith(".js"));
  if (built.length === 0) return -Infinity;
  return Math.min(...built.map((name) => statSync(join(dist, name)).mtimeMs));
}

const isSource = (path) => /\.(ts|js|mjs|json)$/.test(path) && !/\.test(-d)?\.ts$/.test(path);

/**
 * The workspace packages (under `packages/` and `runtimes/`) with a build script whose
 * dist is missing or older than their sources.
 * @param {string} [root] the workspace root
 * @returns {string[]} package names
 */
export function stalePackages(root = workspaceRoot) {
  const stale = [];
  for (const group of ["packages", "runtimes"]) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group))) {
      const dir = join(root, group, name);
      const manifest = join(dir, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      if (!pkg.scripts?.build) continue;
      const sources = Math.max(
        newest(join(dir, "src"), isSource),
        // Guest-language files inlined at build time.
        newest(join(dir, "guest"), () => true),
        ...["tsup.config.ts", "package.json"].map((file) => (existsSync(join(dir, file)) ? statSync(join(dir, file)).mtimeMs : 0)),
      );
      if (sources > oldestBuild(join(dir, "dist"))) stale.push(pkg.name);
    }
  }
  return stale;
}

export default function setup() {
  const stale = stalePackages();
  const root = workspaceRoot;
  if (stale.length === 0) return;
  process.stderr.write(`[fresh-builds] rebuilding what tests would run stale in worker threads: ${stale.join(", ")}\n`);
  // pnpm runs the filtered packages' builds in dependency order.
  execFileSync("pnpm", ["-r", ...stale.flatMap((name) => ["--filter", name]), "run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}
