/**
 * The Python files this package ships next to `src/` and `dist/` in `python/`: the
 * bootstrap that runs the user's code, the state helpers, and the `sandbox_utils`
 * helper library.
 */
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Guest path of the read-only directory holding `sandbox_utils` (on `sys.path`). */
export const SANDBOX_LIB_GUEST_PATH = "/data/sandbox-lib";

/** The shipped Python sources. */
export interface SandboxLib {
  /** Source of `python/bootstrap.py`, passed to `python -c`. */
  readonly bootstrap: string;
  /** Source of `python/state.py`, prepended to the bootstrap when globals persist. */
  readonly state: string;
  /** `sandbox_utils/*.py` keyed by path relative to the mount. */
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/** Directory of the shipped Python sources (same relative place from src/ and dist/). */
export function pythonSourceDir(): string {
  return fileURLToPath(new URL("../python/", import.meta.url));
}

let cached: Promise<SandboxLib> | null = null;

/** Reads the shipped Python sources once per process. */
export function readSandboxLib(): Promise<SandboxLib> {
  cached ??= (async () => {
    const dir = pythonSourceDir();
    const [bootstrap, state] = await Promise.all([readFile(`${dir}bootstrap.py`, "utf8"), readFile(`${dir}state.py`, "utf8")]);
    const files: Record<string, Uint8Array> = {};
    for (const name of (await readdir(`${dir}sandbox_utils`)).filter((n) => n.endsWith(".py")).sort()) {
      files[`sandbox_utils/${name}`] = new Uint8Array(await readFile(`${dir}sandbox_utils/${name}`));
    }
    return { bootstrap, state, files };
  })();
  return cached;
}
