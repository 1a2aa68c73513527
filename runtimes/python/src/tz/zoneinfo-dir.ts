/**
 * The IANA time zones for Python's `zoneinfo`, as TZif files in a directory of the host's
 * cache, compiled once per machine from the `tzdata` npm package (see `tz-rules.ts`) and
 * mounted read-only at ZONEINFO_GUEST_PATH — the first entry of this CPython's default
 * `TZPATH`. Built in a temporary directory renamed into place: a reader never sees half of
 * it, concurrent processes agree.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { runCacheTask } from "../cache-task-client.js";
import { pinTreeTimes } from "../pin-tree-times.js";

/** Where the zones are mounted (the first directory of CPython's default TZPATH). */
export const ZONEINFO_GUEST_PATH = "/usr/share/zoneinfo";

/** Bumped when the compiler's output changes (names a new cache directory). */
const COMPILER_VERSION = 2;

const pending = new Map<string, Promise<string>>();

/**
 * The host directory of the compiled zones, compiling them on first use. Named by the
 * `tzdata` package's version (a new release of the database is a new version), read from
 * its package.json: the database itself (~200 KB of JSON) is parsed only to compile it.
 */
export function zoneinfoDir(cacheDir: string): Promise<string> {
  const { version } = createRequire(import.meta.url)("tzdata/package.json") as { version: string };
  const root = join(cacheDir, `python-zoneinfo-tzdata-${version}-v${COMPILER_VERSION}`);
  let p = pending.get(root);
  if (!p) {
    p = existsSync(join(root, "complete")) ? Promise.resolve(join(root, "zones")) : build(root);
    pending.set(root, p);
    p.catch(() => pending.delete(root));
  }
  return p;
}

async function build(root: string): Promise<string> {
  const tmp = `${root}.${process.pid}.${Date.now()}.tmp`;
  try {
    // Compiling ~850 zones is CPU work: done in a pool thread, never on the host's event loop.
    const zones = resolve(tmp, "zones");
    const count = (await runCacheTask({ kind: "zoneinfo", dir: zones })) as number;
    await pinTreeTimes(zones);
    await writeFile(join(tmp, "complete"), `${count}\n`);
    await mkdir(dirname(root), { recursive: true });
    await rename(tmp, root).catch(async (error: unknown) => {
      if (!existsSync(join(root, "complete"))) throw error;
      await rm(tmp, { recursive: true, force: true }); // another process finished first
    });
    return join(root, "zones");
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}
