/**
 * Compiling the time zones (run in a pool thread, see `cache-tasks.ts`; `zoneinfo-dir.ts`
 * decides when).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { compileZone, type TzData, type ZoneLine } from "./tz-rules.js";
import { writeTzif } from "./tzif.js";

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
