/**
 * The sandbox's own Python files, shipped next to `src/` and `dist/` in `guest/`:
 * `sandbox_utils` (the user-facing helpers) and `_llm_sandbox` (the per-run bootstrap, state
 * persistence, the event loop). Mounted read-only at SANDBOX_LIB_GUEST_PATH, first on
 * `sys.path`, and imported into the interpreter snapshot.
 */
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Guest path of the read-only directory holding the sandbox's own modules. */
export const SANDBOX_LIB_GUEST_PATH = "/data/sandbox-lib";

/** Top-level module names the sandbox owns: a vendored package may not ship them. */
export const OWNED_MODULES: readonly string[] = ["sandbox_utils", "_llm_sandbox"];

/** Directory of the shipped Python sources (same relative place from src/ and dist/). */
export function guestSourceDir(): string {
  return fileURLToPath(new URL("../guest/", import.meta.url));
}

let cached: Promise<Readonly<Record<string, Uint8Array>>> | null = null;

/** The shipped `.py` files keyed by path relative to the mount, read once per process. */
export function readSandboxLib(): Promise<Readonly<Record<string, Uint8Array>>> {
  cached ??= (async () => {
    const dir = guestSourceDir();
    // tools.py: the host-function stubs (`from tools import search`), imported on demand.
    const files: Record<string, Uint8Array> = { "tools.py": new Uint8Array(await readFile(`${dir}tools.py`)) };
    for (const pkg of OWNED_MODULES) {
      for (const name of (await readdir(`${dir}${pkg}`)).filter((n) => n.endsWith(".py")).sort()) {
        files[`${pkg}/${name}`] = new Uint8Array(await readFile(`${dir}${pkg}/${name}`));
      }
    }
    return files;
  })();
  cached.catch(() => {
    cached = null;
  });
  return cached;
}
