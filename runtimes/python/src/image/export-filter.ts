/**
 * Keeps only the exports the driver uses. `pyodide.asm.wasm` exports the whole CPython C
 * API (~8,500 names); V8 builds a wrapper for every exported function when an instance
 * is created, which made each fresh instance cost ~30 ms instead of ~5. Dropping the
 * exports changes nothing else (the functions stay, reachable from inside the module)
 * and leaves the host fewer entry points into the guest.
 *
 * Only the export section is rewritten; every other byte is copied. (When wasi-host's
 * shared binary reader is public, this should use it instead of its own LEB reader.)
 */

import { concatBytes, encodeULEB128 } from "@llm-wasm-sandbox/wasi-host/wasm-binary";

/** Thrown when the bytes are not a module this filter understands. */
export class ExportFilterError extends Error {
  override readonly name = "ExportFilterError";
}

/**
 * A copy of `bytes` whose export section lists only the exports `keep` accepts.
 * @throws ExportFilterError on a malformed module or when a name in `required` is not exported.
 */
export function filterExports(bytes: Uint8Array, keep: (name: string) => boolean, required: readonly string[] = []): Uint8Array<ArrayBuffer> {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new ExportFilterError("not a WebAssembly module");
  }
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  const seen = new Set<string>();
  let p = 8;
  const uleb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (p >= bytes.length || shift > 28) throw new ExportFilterError(`bad LEB128 at offset ${p}`);
      const b = bytes[p++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (p < bytes.length) {
    const start = p;
    const id = bytes[p++]!;
    const size = uleb();
    const end = p + size;
    if (end > bytes.length) throw new ExportFilterError(`section ${id} runs past the end of the module`);
    if (id !== 7) {
      parts.push(bytes.subarray(start, end));
      p = end;
      continue;
    }
    const count = uleb();
    const kept: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const entryStart = p;
      const len = uleb();
      const name = new TextDecoder().decode(bytes.subarray(p, p + len));
      p += len + 1; // name, then the export kind byte
      uleb(); // index
      seen.add(name);
      if (keep(name)) kept.push(bytes.subarray(entryStart, p));
    }
    if (p !== end) throw new ExportFilterError("the export section has trailing bytes");
    const payload = concatBytes([encodeULEB128(kept.length), ...kept]);
    parts.push(Uint8Array.of(7), encodeULEB128(payload.length), payload);
  }
  const missing = required.filter((name) => !seen.has(name));
  if (missing.length > 0) throw new ExportFilterError(`the module does not export ${missing.join(", ")}`);
  return concatBytes(parts);
}
