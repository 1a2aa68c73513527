/**
 * `import()` of a built module (a driver, preparer or image transform) in a pool or
 * session thread, working around a Node 20 bug: when a path prefix is already in the ESM
 * loader's realpath cache, its realpath reads the stat values left by the thread's LAST
 * synchronous stat call, and stops resolving symlinks if those say FIFO or socket. A
 * guest that made its thread stat a FIFO (a mounted file swapped for one) broke every
 * later import through a pnpm symlink in that thread ("Cannot find package …", a
 * `host_error` for the next run). Stat-ing the module file itself first leaves a regular
 * file's values behind.
 */
import { lstatSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Imports `url` (a file URL) as `import(url)` would, immune to the stale-stat bug above. */
export async function importBuiltModule(url: string): Promise<unknown> {
  if (url.startsWith("file:")) {
    try {
      lstatSync(fileURLToPath(url));
    } catch {
      // A missing file: the import below reports it.
    }
  }
  return import(url);
}
