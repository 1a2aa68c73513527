import { extname } from "node:path";
import { readHostFile } from "@llm-wasm-sandbox/host-files";
import { MAX_CODE_BYTES } from "./options.js";

/** Largest `.wasm` file whose base64 text still fits in MAX_CODE_BYTES. */
export const MAX_WASM_FILE_BYTES = Math.floor(MAX_CODE_BYTES / 4) * 3;

/**
 * Reads a program file for `execute`: UTF-8 source, or base64 for a binary `.wasm`.
 * The read is bounded by what `execute` accepts (so `/dev/zero`, a FIFO or a huge file
 * is refused before it costs memory or hangs), and a symlink is followed only to a
 * regular file.
 * @throws HostFileError naming the file and why.
 */
export async function readProgramFile(path: string): Promise<string> {
  const binary = extname(path).toLowerCase() === ".wasm";
  const bytes = await readHostFile(path, { maxBytes: binary ? MAX_WASM_FILE_BYTES : MAX_CODE_BYTES, label: "program file", followSymlinks: true });
  return binary ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") : new TextDecoder().decode(bytes);
}
