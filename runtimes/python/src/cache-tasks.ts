/**
 * Worker-side cache building (built to `dist/cache-tasks.js`, run by wasi-host's pool as a
 * preparer): the once-per-machine CPU work — unzipping the standard library, compiling the
 * time zones — happens in a pool thread, so a host's first Python run never blocks its
 * event loop with it.
 */
import type { CacheTask } from "./cache-task-client.js";
import { unpack } from "./stdlib-unpack.js";
import { writeZoneinfo } from "./tz/write-zoneinfo.js";

/** The preparer: runs one task and returns its result. */
export default async function runTask(task: CacheTask): Promise<{ value: unknown }> {
  if (task.kind === "unpack-stdlib") return { value: await unpack(task.lib) };
  if (task.kind === "zoneinfo") return { value: await writeZoneinfo(task.dir) };
  throw new TypeError(`unknown cache task ${JSON.stringify((task as { kind?: unknown }).kind)}`);
}
