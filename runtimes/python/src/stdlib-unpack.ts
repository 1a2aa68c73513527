/**
 * Unpacking the standard library zip (run in a pool thread, see `cache-tasks.ts`).
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { unzipSync } from "fflate";
import { pyodideFile } from "./image/pyodide-image.js";

/**
 * Top-level directories of the zip that are Pyodide's, not the standard library's: its
 * JavaScript FFI in Python (`pyodide`, `_pyodide`; useless and misleading without the
 * `_pyodide_core` module the sandbox never registers) and an empty `site-packages`.
 */
const LEFT_OUT: readonly string[] = ["pyodide/", "_pyodide/", "site-packages/"];

/** Unpacks the zip into `lib`; returns the `.py` files, relative, with "/" separators. */
export async function unpack(lib: string): Promise<string[]> {
  const files = unzipSync(new Uint8Array(await readFile(pyodideFile("python_stdlib.zip"))), {
    filter: (f) => !f.name.endsWith("/") && !LEFT_OUT.some((dir) => f.name.startsWith(dir)),
  });
  for (const [name, data] of Object.entries(files)) {
    const target = resolve(lib, name);
    if (!target.startsWith(lib + sep)) throw new Error(`unsafe path in python_stdlib.zip: ${name}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
  }
  const sources = (await readdir(lib, { recursive: true })).filter((n) => n.endsWith(".py")).map((n) => relative(lib, resolve(lib, n)).split(sep).join("/"));
  return sources.sort();
}

