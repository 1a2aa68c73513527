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
import { dirname, join, resolve, sep } from "node:path";
import { runCacheTask } from "../cache-task-client.js";
import { compileZone, type TzData, type ZoneLine } from "./tz-rules.js";
import { writeTzif } from "./tzif.js";

/** Where the zones are mounted (the first directory of CPython's default TZPATH). */
export const ZONEINFO_GUEST_PATH = "/usr/share/zoneinfo";

/** Bumped when the compiler's output changes (names a new cache directory). */
const COMPILER_VERSION = 1;

const pending = new Map<string, Promise<string>>();

/** The host directory of the compiled zones, compiling them on first use. */
export function zoneinfoDir(cacheDir: string): Promise<string> {
  const data = createRequire(import.meta.url)("tzdata") as TzData;
  const root = join(cacheDir, `python-zoneinfo-${data.version}-v${COMPILER_VERSION}`);
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
    const count = (await runCacheTask({ kind: "zoneinfo", dir: resolve(tmp, "zones") })) as number;
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

/** Compiles every zone of the `tzdata` package into `zones` (a new directory); returns the file count. */
export async function writeZoneinfo(zones: string): Promise<number> {
  const data = createRequire(import.meta.url)("tzdata") as TzData;
  const files = compileAll(data);
  for (const [name, bytes] of files) {
    const target = resolve(zones, name);
    if (!target.startsWith(zones + sep)) throw new Error(`unsafe zone name ${JSON.stringify(name)} in the tzdata package`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
  await writeFile(join(zones, "tzdata.version"), `${data.version}\n`);
  return files.size;
}

/** Every zone and link of the data as TZif bytes, by zone name (links get their target's bytes). */
export function compileAll(data: TzData): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [name, lines] of Object.entries(data.zones)) {
    if (typeof lines !== "string") out.set(name, writeTzif(compileZone(lines, data)));
  }
  for (const [name, target] of Object.entries(data.zones)) {
    if (typeof target !== "string") continue;
    let lines: readonly ZoneLine[] | string | undefined = data.zones[target];
    for (let hops = 0; typeof lines === "string" && hops < 8; hops++) lines = data.zones[lines];
    if (Array.isArray(lines)) out.set(name, writeTzif(compileZone(lines, data)));
  }
  return out;
}
