/**
 * `pyodide.asm.wasm` is a dynamically linkable main module: it imports 280 `GOT.func`
 * globals, slots another module's loader would fill with function-table indices (its
 * WebGL and console functions). No other module is ever linked here, so every slot stays
 * 0 — and each of them still had to be a `WebAssembly.Global` made per instance (280 per
 * run, ~0.3 ms) and one more import for V8 to resolve.
 *
 * This rewrite makes them the module's own globals instead: each `GOT.func` import
 * becomes a defined immutable `i32` global with value 0, placed first in the global
 * section. Imported globals precede defined ones in the index space, so when the
 * `GOT.func` imports are all of the imported globals (this binary: checked, refused
 * otherwise) every global keeps its index and no instruction changes. Immutable is
 * exactly as observable as a slot nobody fills: a `global.set` of one would fail
 * validation when the image is compiled, never silently change meaning.
 */
import { ByteReader, concatBytes, encodeULEB128, readLimits, readSections, SECTION } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import { ExportFilterError } from "./export-filter.js";

/** The import module of the slots this rewrite defines. */
export const GOT_FUNC = "GOT.func";

/** A defined global `(global i32 (i32.const 0))`: valtype, immutable, init expression. */
const ZERO_I32 = Uint8Array.of(0x7f, 0x00, 0x41, 0x00, 0x0b);

const KIND_FUNCTION = 0;
const KIND_TABLE = 1;
const KIND_MEMORY = 2;
const KIND_GLOBAL = 3;
const KIND_TAG = 4;
const I32 = 0x7f;
const FUNCREF = 0x70;
const EXTERNREF = 0x6f;

/**
 * A copy of `bytes` whose `GOT.func` global imports are defined zero globals (see the
 * module documentation); `bytes` itself when it has none.
 * @throws ExportFilterError on a malformed module, or when globals other than `GOT.func`
 *   slots are imported (their indices would move).
 */
export function defineGotGlobals(bytes: Uint8Array): Uint8Array {
  const sections = readSections(bytes);
  const imports = sections.find((s) => s.id === SECTION.import);
  const globals = sections.find((s) => s.id === SECTION.global);
  if (imports === undefined) return bytes;
  const r = new ByteReader(bytes, imports.payloadStart, imports.end);
  const count = r.u32();
  const kept: Uint8Array[] = [];
  let slots = 0;
  for (let i = 0; i < count; i++) {
    const start = r.pos;
    const module = r.name();
    r.name();
    const kind = r.byte();
    if (kind === KIND_GLOBAL) {
      const type = r.byte();
      r.byte(); // mutability: a slot is `(mut i32)`; immutable fits every use that validates
      if (module !== GOT_FUNC || type !== I32) throw new ExportFilterError(`imported global ${module} (type 0x${type.toString(16)}) is not a GOT.func slot: the globals cannot be defined in place`);
      slots++;
      continue;
    }
    skipImportDesc(r, kind);
    kept.push(bytes.subarray(start, r.pos));
  }
  if (!r.done) throw new ExportFilterError("the import section has trailing bytes");
  if (slots === 0) return bytes;
  if (globals === undefined) throw new ExportFilterError("the module imports GOT.func slots but has no global section");
  const g = new ByteReader(bytes, globals.payloadStart, globals.end);
  const own = g.u32();
  const defined: Uint8Array[] = Array.from({ length: slots }, () => ZERO_I32);
  const replaced = new Map<number, Uint8Array>([
    [SECTION.import, section(SECTION.import, [encodeULEB128(kept.length), ...kept])],
    [SECTION.global, section(SECTION.global, [encodeULEB128(slots + own), ...defined, bytes.subarray(g.pos, globals.end)])],
  ]);
  return concatBytes([bytes.subarray(0, 8), ...sections.map((s) => replaced.get(s.id) ?? bytes.subarray(s.start, s.end))]);
}

function section(id: number, payload: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes([...payload]);
  return concatBytes([Uint8Array.of(id), encodeULEB128(body.length), body]);
}

function skipImportDesc(r: ByteReader, kind: number): void {
  switch (kind) {
    case KIND_FUNCTION:
      r.u32();
      return;
    case KIND_TABLE:
      if (![FUNCREF, EXTERNREF].includes(r.byte())) r.fail("unsupported table element type");
      readLimits(r);
      return;
    case KIND_MEMORY:
      readLimits(r);
      return;
    case KIND_TAG:
      r.byte();
      r.u32();
      return;
    default:
      r.fail(`unknown import kind ${kind}`);
  }
}
