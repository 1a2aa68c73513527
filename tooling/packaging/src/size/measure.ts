import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** What an install put on disk. */
export interface InstallMeasurement {
  /** Sum of the sizes of every file under `node_modules` (what the ceilings apply to: the same on any filesystem). */
  readonly bytes: number;
  /** Disk space `node_modules` takes on this filesystem, blocks included (what `du` reports). */
  readonly diskBytes: number;
  /** Packages npm installed (its hidden lockfile's entries). */
  readonly packages: number;
  /** Their names, sorted (a name nested at several versions appears once per copy). */
  readonly installed: readonly string[];
  /** Commands the install put in `node_modules/.bin`. */
  readonly bins: readonly string[];
  /** The biggest packages, largest first. */
  readonly largest: ReadonlyArray<{ readonly name: string; readonly bytes: number }>;
}

/** Measures `<project>/node_modules` after `npm install`. */
export async function measureInstall(project: string): Promise<InstallMeasurement> {
  const modules = join(project, "node_modules");
  const lock = JSON.parse(await readFile(join(modules, ".package-lock.json"), "utf8")) as { packages: Record<string, { link?: boolean }> };
  const paths = Object.entries(lock.packages).filter(([path, entry]) => path.startsWith("node_modules/") && !entry.link).map(([path]) => path);
  // Each package's own files: nested node_modules belong to the nested packages.
  const sizes = await Promise.all(paths.map(async (path) => ({ name: path.slice(path.lastIndexOf("node_modules/") + 13), bytes: (await usage(join(project, path), true)).bytes })));
  const bins = await readdir(join(modules, ".bin")).catch(() => [] as string[]);
  const total = await usage(modules, false);
  return {
    bytes: total.bytes,
    diskBytes: total.diskBytes,
    packages: paths.length,
    installed: sizes.map((p) => p.name).sort(),
    bins: bins.sort(),
    largest: [...sizes].sort((a, b) => b.bytes - a.bytes).slice(0, 4),
  };
}

/** File bytes and disk blocks under `dir`; symlinks count as themselves, never followed. */
async function usage(dir: string, skipNodeModules: boolean): Promise<{ bytes: number; diskBytes: number }> {
  let bytes = 0;
  let diskBytes = (await lstat(dir)).blocks * 512;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (skipNodeModules && entry.name === "node_modules") continue;
      const inner = await usage(path, skipNodeModules);
      bytes += inner.bytes;
      diskBytes += inner.diskBytes;
    } else {
      const stat = await lstat(path);
      bytes += stat.size;
      diskBytes += stat.blocks * 512;
    }
  }
  return { bytes, diskBytes };
}
