import { lstat, readFile } from "node:fs/promises";
import { basename } from "node:path";
import { InvalidPathError, PolicyValidationError, type ReadonlyMount } from "@llm-wasm-sandbox/core";

/** Guest path of the read-only external files mount. */
export const EXTERNAL_GUEST_PATH = "/external";

/** Options of `loadExternalFiles`. */
export interface ExternalFilesOptions {
  /** Largest file accepted, in bytes (default 50 MiB). */
  readonly maxFileBytes?: number;
}

/**
 * Reads host files once, flat, into a read-only `/external` mount shared by every
 * session: `/external/<basename>`. Symlinks, directories and special files are
 * refused, names must be unique, each file is capped in size.
 * @throws InvalidPathError / PolicyValidationError saying which file and why.
 */
export async function loadExternalFiles(paths: readonly string[], options: ExternalFilesOptions = {}): Promise<ReadonlyMount> {
  const max = options.maxFileBytes ?? 50 * 1024 * 1024;
  const files: Record<string, Uint8Array> = {};
  for (const path of paths) {
    const name = basename(path);
    if (Object.hasOwn(files, name)) {
      throw new PolicyValidationError([{ path: "externalFiles", message: `two external files are named "${name}"; names must be unique in /external` }], "external files");
    }
    const st = await lstat(path).catch((cause: Error) => {
      throw new InvalidPathError(path, `cannot read external file: ${cause.message}`);
    });
    if (st.isSymbolicLink()) throw new InvalidPathError(path, "external files must not be symlinks");
    if (!st.isFile()) throw new InvalidPathError(path, "external files must be regular files");
    if (st.size > max) throw new InvalidPathError(path, `external file is ${st.size} bytes, over the ${max}-byte limit`);
    files[name] = new Uint8Array(await readFile(path));
  }
  return { guestPath: EXTERNAL_GUEST_PATH, files };
}
