/**
 * CPython 3.14 from the `pyodide` npm package: `pyodide.asm.wasm` with its export list cut
 * down to what the driver uses (see `export-filter.ts`) and its `GOT.func` slots defined
 * in the module (see `define-got-globals.ts`), written once into the host's
 * cache directory, so the host meters, caches and compiles it by path (a warm start only
 * stats the file). Its mutable globals are exported so a snapshot can carry them.
 * Pyodide's JavaScript is never loaded.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { ImageSource } from "@llm-wasm-sandbox/core";
import { GLOBAL_EXPORT_PREFIX } from "@llm-wasm-sandbox/wasi-host/host";
import { CPYTHON_EXPORTS } from "../driver/cpython.js";

/** The npm package the binary and the standard library come from. */
export const PYODIDE_PACKAGE = "pyodide";

/** Bumped when the rewrite changes (export filter, GOT.func slots; names a new cache file). */
const FILTER_VERSION = 3;

const require = createRequire(import.meta.url);

/** Absolute path of a file of the `pyodide` package. */
export function pyodideFile(name: "pyodide.asm.wasm" | "python_stdlib.zip" | "package.json"): string {
  return require.resolve(`${PYODIDE_PACKAGE}/${name}`);
}

/** Version of the installed `pyodide` package. */
export const PYODIDE_VERSION = (require(pyodideFile("package.json")) as { version: string }).version;

const KEEP = new Set<string>([...CPYTHON_EXPORTS, "__stack_pointer"]);

const sources = new Map<string, ImageSource>();

/** The image source for a host's cache directory (one object per directory, so the host memoizes it). */
export function pythonImage(cacheDir: string): ImageSource {
  let source = sources.get(cacheDir);
  if (source === undefined) {
    const file = join(cacheDir, `pyodide-${PYODIDE_VERSION}-exports-v${FILTER_VERSION}.asm.wasm`);
    source = {
      id: `${PYODIDE_PACKAGE}@${PYODIDE_VERSION}/pyodide.asm.wasm#exports-v${FILTER_VERSION}@${cacheDir}`,
      name: "pyodide.asm.wasm",
      exportMutableGlobals: true,
      load: () => filteredImage(file),
    };
    sources.set(cacheDir, source);
  }
  return source;
}

/**
 * The path of the filtered binary, writing it first when missing (temporary file renamed
 * into place: a reader never sees half of it, concurrent processes agree). The host
 * verifies what it compiles against its own checksummed cache, keyed by content.
 */
async function filteredImage(file: string): Promise<string> {
  if (existsSync(file)) return file;
  // Loaded only now (once per machine and version): a warm start never loads the binary rewriters.
  const [{ defineGotGlobals }, { filterExports }] = await Promise.all([import("./define-got-globals.js"), import("./export-filter.js")]);
  const original = new Uint8Array(await readFile(pyodideFile("pyodide.asm.wasm")));
  const bytes = filterExports(defineGotGlobals(original), (name) => KEEP.has(name) || name.startsWith(GLOBAL_EXPORT_PREFIX), CPYTHON_EXPORTS);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(join(file, ".."), { recursive: true });
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => {});
    if (!existsSync(file)) throw error;
  }
  return file;
}
