import { basename } from "node:path";
import { PolicyValidationError, type ReadonlyMount } from "@llm-wasm-sandbox/core";
import { readHostFile } from "@llm-wasm-sandbox/host-files";

/** Guest path of the read-only external files mount. */
export const EXTERNAL_GUEST_PATH = "/external";

/** Options of `loadExternalFiles`. */
export interface ExternalFilesOptions {
  /** Largest file accepted, in bytes (default 50 MiB). */
  readonly maxFileBytes?: number;
}

/**
 * Reads host files once, flat, into a read-only `/external` mount shared by every
 * session: `/external/<basename>`. Each file is opened once and checked on that open
 * descriptor (so swapping it for a symlink, a FIFO or a device between a check and the
 * read cannot work): symlinks, directories and special files are refused, the read
 * stops at the size cap, names must be unique. The bytes live in shared memory, so
 * concurrent runs do not each get a copy.
 * @throws HostFileError naming the file and why; PolicyValidationError for two files
 *   with the same name.
 */
export async function loadExternalFiles(paths: readonly string[], options: ExternalFilesOptions = {}): Promise<ReadonlyMount> {
  const max = options.maxFileBytes ?? 50 * 1024 * 1024;
  const files: Record<string, Uint8Array> = {};
  for (const path of paths) {
    const name = basename(path);
    if (Object.hasOwn(files, name)) {
      throw new PolicyValidationError([{ path: "externalFiles", message: `two external files are named "${name}"; names must be unique in /external` }], "external files");
    }
    files[name] = shared(await readHostFile(path, { maxBytes: max, label: "external file" }));
  }
  return { guestPath: EXTERNAL_GUEST_PATH, files };
}

/**
 * The bytes in a SharedArrayBuffer: every run's worker then sees the same memory instead
 * of a structured-clone copy, so N concurrent runs hold an external file once, not N
 * times. Safe because the mount is read-only (the guest's writes fail with EROFS).
 */
function shared(bytes: Uint8Array): Uint8Array {
  const view = new Uint8Array(new SharedArrayBuffer(bytes.length));
  view.set(bytes);
  return view;
}
