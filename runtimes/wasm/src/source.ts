/**
 * What `execute(code)` accepts: WAT text (parsed by jco-transpile's wasm-tools build), or
 * the base64 of a binary — a core module or a WASI 0.2 component. Runs in a worker thread
 * (prepare-input.ts): decoding and parsing are proportional to the input.
 */
import type { WasmModuleLimits } from "./module-check.js";
import { loadWatParser } from "./jco.js";

/** The decoded user input. */
export type WasmSource =
  | { readonly kind: "module"; readonly bytes: Uint8Array; readonly from: "wat" | "base64" }
  | { readonly kind: "component"; readonly bytes: Uint8Array; readonly from: "wat" | "base64" }
  | { readonly kind: "error"; readonly message: string };

/** The caps `decodeSource` applies. */
export type SourceLimits = Pick<WasmModuleLimits, "maxModuleBytes" | "maxWatBytes" | "maxNestingDepth">;

// Tested on the text with all whitespace removed: a pattern that also allowed
// whitespace backtracked quadratically on crafted input (minutes of host time).
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Levels of nesting every module has around its function bodies (`(module (func (block`…). */
const WRAPPER_DEPTH = 8;

/**
 * Decodes `code`. Text that looks like base64 and decodes to a `\0asm` header is a
 * binary; anything else is WAT, refused before parsing when it is over `maxWatBytes` or
 * nests deeper than `maxNestingDepth` (the parser's time and memory grow with both).
 * @throws WasmToolchainMissingError for WAT when `@bytecodealliance/jco-transpile` is not installed.
 */
export async function decodeSource(code: string, limits: SourceLimits): Promise<WasmSource> {
  if (code.length > limits.maxModuleBytes * 2) {
    return { kind: "error", message: `the input is ${code.length} characters; this sandbox accepts modules of at most ${limits.maxModuleBytes} bytes` };
  }
  const compact = code.replace(/\s+/g, "");
  if (compact.length > 0 && BASE64.test(compact)) {
    const bytes = new Uint8Array(Buffer.from(compact, "base64"));
    if (bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) {
      if (bytes.length > limits.maxModuleBytes) return { kind: "error", message: `the module is ${bytes.length} bytes; this sandbox accepts at most ${limits.maxModuleBytes}` };
      return { kind: isComponent(bytes) ? "component" : "module", bytes, from: "base64" };
    }
    return { kind: "error", message: "the input looks like base64 but does not decode to a WebAssembly binary (no \\0asm header); pass WAT text or base64 of a .wasm file" };
  }
  const watBytes = Buffer.byteLength(code, "utf8");
  if (watBytes > limits.maxWatBytes) {
    return { kind: "error", message: `the WAT text is ${watBytes} bytes; this sandbox accepts at most ${limits.maxWatBytes} — pass the module's binary as base64 instead` };
  }
  const depth = watNestingDepth(code);
  if (depth > limits.maxNestingDepth + WRAPPER_DEPTH) {
    return { kind: "error", message: `the WAT text nests ${depth} levels deep; at most ${limits.maxNestingDepth} levels of blocks are allowed` };
  }
  const parse = await loadWatParser();
  let bytes: Uint8Array;
  try {
    bytes = await parse(code);
  } catch (error) {
    return { kind: "error", message: `WAT syntax error: ${describeWatError(error, code)}` };
  }
  if (bytes.length > limits.maxModuleBytes) return { kind: "error", message: `the module is ${bytes.length} bytes; this sandbox accepts at most ${limits.maxModuleBytes}` };
  return { kind: isComponent(bytes) ? "component" : "module", bytes, from: "wat" };
}

/** Component binaries carry layer 1 in the header's upper version half. */
export function isComponent(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[6] === 1 && bytes[7] === 0;
}

/**
 * The deepest nesting in WAT text, in one linear pass: parentheses (folded forms) plus
 * flat `block`/`loop`/`if`/`try`/`try_table` … `end` (or `delegate`), outside strings
 * and comments. An upper bound
 * on how deep the parser recurses, so a crafted input is refused before it runs.
 */
export function watNestingDepth(text: string): number {
  let parens = 0;
  let flat = 0;
  let max = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // "string" with \ escapes
      i++;
      while (i < n && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
    } else if (c === 0x3b && text.charCodeAt(i + 1) === 0x3b) {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === 0x28 && text.charCodeAt(i + 1) === 0x3b) {
      i = skipBlockComment(text, i);
    } else if (c === 0x28) {
      parens++;
      i++;
    } else if (c === 0x29) {
      parens--;
      i++;
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      const folded = i > 0 && text.charCodeAt(i - 1) === 0x28;
      const word = j - i <= 9 ? text.slice(i, j) : "";
      if (!folded && (word === "block" || word === "loop" || word === "if" || word === "try" || word === "try_table")) flat++;
      else if (word === "end" || word === "delegate") flat = Math.max(0, flat - 1);
      i = j;
    } else i++;
    const depth = parens + flat;
    if (depth > max) max = depth;
  }
  return max;
}

/** Skips a (possibly nested) `(; … ;)` comment starting at `i`; returns the index after it. */
function skipBlockComment(text: string, start: number): number {
  let level = 0;
  let i = start;
  while (i < text.length) {
    if (text.charCodeAt(i) === 0x28 && text.charCodeAt(i + 1) === 0x3b) {
      level++;
      i += 2;
    } else if (text.charCodeAt(i) === 0x3b && text.charCodeAt(i + 1) === 0x29) {
      level--;
      i += 2;
      if (level === 0) return i;
    } else i++;
  }
  return i;
}

function isWordStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isWordChar(c: number): boolean {
  return isWordStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x24;
}

/** wasm-tools reports Rust error Debug text; pull out the line, column and reason. */
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
