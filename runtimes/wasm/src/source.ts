/**
 * What `execute(code)` accepts: WAT text (parsed in-process by jco's wasm-tools build),
 * or the base64 of a binary — a core module or a WASI 0.2 component.
 */

/** The decoded user input. */
export type WasmSource =
  | { readonly kind: "module"; readonly bytes: Uint8Array; readonly from: "wat" | "base64" }
  | { readonly kind: "component"; readonly bytes: Uint8Array; readonly from: "wat" | "base64" }
  | { readonly kind: "error"; readonly message: string };

// Tested on the text with all whitespace removed: a pattern that also allowed
// whitespace backtracked quadratically on crafted input (minutes of host time).
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes `code`. Text that looks like base64 and decodes to a `\0asm` header is a
 * binary; anything else is WAT. `maxBytes` bounds both the text and the binary.
 */
export async function decodeSource(code: string, maxBytes: number): Promise<WasmSource> {
  if (code.length > maxBytes * 2) {
    return { kind: "error", message: `the input is ${code.length} characters; this sandbox accepts modules of at most ${maxBytes} bytes` };
  }
  const compact = code.replace(/\s+/g, "");
  if (compact.length > 0 && BASE64.test(compact)) {
    const bytes = new Uint8Array(Buffer.from(compact, "base64"));
    if (bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) {
      return { kind: isComponent(bytes) ? "component" : "module", bytes, from: "base64" };
    }
    return { kind: "error", message: "the input looks like base64 but does not decode to a WebAssembly binary (no \\0asm header); pass WAT text or base64 of a .wasm file" };
  }
  const { parse } = await import("@bytecodealliance/jco");
  let bytes: Uint8Array;
  try {
    bytes = await parse(code);
  } catch (error) {
    return { kind: "error", message: `WAT syntax error: ${describeWatError(error, code)}` };
  }
  if (bytes.length > maxBytes) return { kind: "error", message: `the module is ${bytes.length} bytes; this sandbox accepts at most ${maxBytes}` };
  return { kind: isComponent(bytes) ? "component" : "module", bytes, from: "wat" };
}

/** Component binaries carry layer 1 in the header's upper version half. */
export function isComponent(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[6] === 1 && bytes[7] === 0;
}

/** jco reports wasm-tools' Rust error Debug text; pull out the line, column and reason. */
function describeWatError(error: unknown, code: string): string {
  const text = error instanceof Error ? error.message : String(error);
  const offset = /offset: (\d+)/.exec(text);
  const reason = /kind: Custom\("((?:[^"\\]|\\.)*)"\)/.exec(text) ?? /message: "((?:[^"\\]|\\.)*)"/.exec(text);
  if (!offset) return text.slice(0, 500);
  const at = Number(offset[1]);
  const before = code.slice(0, at);
  const line = before.split("\n").length;
  const col = at - before.lastIndexOf("\n");
  const snippet = code.split("\n")[line - 1] ?? "";
  return `${reason?.[1] ?? "invalid WAT"} at line ${line}, column ${col}\n  ${snippet}\n  ${" ".repeat(Math.max(0, col - 1))}^`;
}
