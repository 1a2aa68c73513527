/**
 * Section-level parsing: splits a module into sections and decodes the sections that
 * the meter and the module checks need to understand (imports, types, functions,
 * tables, memories, globals, exports, data). Everything else is copied verbatim by
 * the instrumenter.
 */
import { ByteReader } from "./byte-reader.js";
import { skipImmediates, skipValType, FC_IMM, FD_IMM, SINGLE_IMM } from "./opcodes.js";
import { WasmFormatError } from "./wasm-format-error.js";

/** Section ids of the core module format. */
export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

/** The required order of non-custom sections (tag sits between memory and global). */
export const SECTION_ORDER: readonly number[] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

/** One section of a module. */
export interface SectionSpan {
  readonly id: number;
  /** Offset of the id byte. */
  readonly start: number;
  /** Offset of the payload. */
  readonly payloadStart: number;
  /** One past the payload. */
  readonly end: number;
  /** Name of a custom section ("" otherwise). */
  readonly name: string;
}

/** Memory or table limits as declared. */
export interface Limits {
  readonly min: number;
  readonly max: number | null;
  readonly shared: boolean;
  readonly memory64: boolean;
  /** The flags byte as encoded (bit 0: has a maximum, bit 1: shared, bit 2: 64-bit). */
  readonly flags: number;
}

/** Section names by id, for messages. */
export const SECTION_NAMES: readonly string[] = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"];

/** Splits `bytes` into sections, checking the header and that sections fit. */
export function readSections(bytes: Uint8Array): SectionSpan[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError("not a WebAssembly module (bad magic number)", 0);
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new WasmFormatError("not a core WebAssembly module (version is not 1; components must be transpiled to core modules first)", 4);
  }
  const r = new ByteReader(bytes, 8);
  const out: SectionSpan[] = [];
  while (r.pos < bytes.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const payloadStart = r.pos;
    const end = payloadStart + size;
    if (end > bytes.length) {
      const what = SECTION_NAMES[id] ?? `#${id}`;
      throw new WasmFormatError(`the ${what} section declares ${size} bytes but only ${bytes.length - payloadStart} remain — the module is truncated or forged`, start);
    }
    let name = "";
    if (id === SECTION.custom) {
      const nr = new ByteReader(bytes, payloadStart, end);
      name = nr.name();
    }
    out.push({ id, start, payloadStart, end, name });
    r.pos = end;
  }
  return out;
}

/** Reads limits (flags, min, optional max) as used by memories and tables. */
export function readLimits(r: ByteReader): Limits {
  const flags = r.byte();
  if (flags > 0x07) r.fail(`unsupported limits flags 0x${flags.toString(16)}`);
  const memory64 = (flags & 0x04) !== 0;
  const min = memory64 ? r.u64() : r.u32();
  const max = (flags & 0x01) !== 0 ? (memory64 ? r.u64() : r.u32()) : null;
  return { min, max, shared: (flags & 0x02) !== 0, memory64, flags };
}

/** Encodes limits for a 32-bit, unshared memory. */
export function limitsFlags(l: { max: number | null; shared: boolean }): number {
  return (l.max !== null ? 0x01 : 0) | (l.shared ? 0x02 : 0);
}

/** One import (only what the meter needs). */
export interface ImportEntry {
  readonly module: string;
  readonly name: string;
  /** 0 function, 1 table, 2 memory, 3 global, 4 tag. */
  readonly kind: number;
  /** Limits of a table or memory import. */
  readonly limits: Limits | null;
  /** Type index of a function import (null for other kinds). */
  readonly typeIndex: number | null;
}

/** Decodes the import section. */
export function readImports(bytes: Uint8Array, s: SectionSpan): ImportEntry[] {
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const n = r.u32();
  const out: ImportEntry[] = [];
  for (let i = 0; i < n; i++) {
    const module = r.name();
    const name = r.name();
    const kind = r.byte();
    let limits: Limits | null = null;
    let typeIndex: number | null = null;
    switch (kind) {
      case 0:
        typeIndex = r.u32();
        break;
      case 1:
        skipValType(r);
        limits = readLimits(r);
        break;
      case 2:
        limits = readLimits(r);
        break;
      case 3:
        skipValType(r);
        r.byte();
        break;
      case 4:
        r.byte();
        r.u32();
        break;
      default:
        r.fail(`unknown import kind ${kind}`);
    }
    out.push({ module, name, kind, limits, typeIndex });
  }
  return out;
}

/** Counts the entries of a vector section (its first LEB128). */
export function readCount(bytes: Uint8Array, s: SectionSpan | undefined): number {
  if (!s) return 0;
  return new ByteReader(bytes, s.payloadStart, s.end).u32();
}

/** Checks the type section holds only plain function types; returns each one's parameter count. */
export function readTypeParamCounts(bytes: Uint8Array, s: SectionSpan | undefined): number[] {
  if (!s) return [];
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const n = r.u32();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const form = r.byte();
    if (form !== 0x60) r.fail(`type form 0x${form.toString(16)} (GC types) is not supported`);
    out.push(r.u32());
    for (let j = 0; j < out[i]!; j++) skipValType(r);
    const results = r.u32();
    for (let j = 0; j < results; j++) skipValType(r);
  }
  return out;
}

const VALUE_TYPES: Readonly<Record<number, string>> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };

/**
 * Decodes the type section into signature text, `(i32 i32) -> (i32)`, one per type, so a
 * check can compare an import's type with the one the host implements. Typed references
 * read as `ref`.
 */
export function readTypeSignatures(bytes: Uint8Array, s: SectionSpan | undefined): string[] {
  if (!s) return [];
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const valTypes = (): string => {
    const names: string[] = [];
    for (let n = r.u32(), j = 0; j < n; j++) {
      const b = r.byte();
      if (b === 0x63 || b === 0x64) r.skipLeb(5);
      names.push(VALUE_TYPES[b] ?? "ref");
    }
    return `(${names.join(" ")})`;
  };
  const out: string[] = [];
  for (let n = r.u32(), i = 0; i < n; i++) {
    const form = r.byte();
    if (form !== 0x60) r.fail(`type form 0x${form.toString(16)} (GC types) is not supported`);
    const params = valTypes();
    out.push(`${params} -> ${valTypes()}`);
  }
  return out;
}

/** Decodes the function section: the type index of each defined function. */
export function readFunctionTypes(bytes: Uint8Array, s: SectionSpan | undefined): Uint32Array {
  if (!s) return new Uint32Array(0);
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const out = new Uint32Array(r.u32());
  for (let i = 0; i < out.length; i++) out[i] = r.u32();
  return out;
}

/** One defined global: whether it is mutable. */
export interface GlobalEntry {
  readonly mutable: boolean;
}

/** Decodes the global section (types and mutability; init expressions are skipped). */
export function readGlobals(bytes: Uint8Array, s: SectionSpan | undefined): GlobalEntry[] {
  if (!s) return [];
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const n = r.u32();
  const out: GlobalEntry[] = [];
  for (let i = 0; i < n; i++) {
    skipValType(r);
    const mut = r.byte();
    skipConstExpr(r);
    out.push({ mutable: mut === 1 });
  }
  return out;
}

/** Decodes the memory section. */
export function readMemories(bytes: Uint8Array, s: SectionSpan | undefined): { limits: Limits[]; entryStarts: number[] } {
  if (!s) return { limits: [], entryStarts: [] };
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const n = r.u32();
  const limits: Limits[] = [];
  const entryStarts: number[] = [];
  for (let i = 0; i < n; i++) {
    entryStarts.push(r.pos);
    limits.push(readLimits(r));
  }
  entryStarts.push(r.pos);
  return { limits, entryStarts };
}

/** Decodes export names (to avoid clashing with the meter's own exports). */
export function readExportNames(bytes: Uint8Array, s: SectionSpan | undefined): Set<string> {
  const names = new Set<string>();
  if (!s) return names;
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    names.add(r.name());
    r.byte();
    r.u32();
  }
  return names;
}

/** Skips a constant expression up to and including its `end`. */
export function skipConstExpr(r: ByteReader): void {
  for (;;) {
    const at = r.pos;
    const op = r.byte();
    if (op === 0x0b) return;
    let imm: number;
    if (op === 0xfc) {
      const sub = r.u32();
      imm = FC_IMM[sub] ?? 0;
    } else if (op === 0xfd) {
      const sub = r.u32();
      imm = FD_IMM[sub] ?? 0;
    } else imm = SINGLE_IMM[op]!;
    if (!skipImmediates(r, imm)) {
      throw new WasmFormatError(`unknown opcode 0x${op.toString(16)} in a constant expression`, at);
    }
  }
}

/** One export. */
export interface ExportEntry {
  readonly name: string;
  /** 0 function, 1 table, 2 memory, 3 global, 4 tag. */
  readonly kind: number;
  readonly index: number;
}

/** Decodes the export section. */
export function readExports(bytes: Uint8Array, s: SectionSpan | undefined): ExportEntry[] {
  if (!s) return [];
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const out: ExportEntry[] = [];
  for (let n = r.u32(); n > 0; n--) out.push({ name: r.name(), kind: r.byte(), index: r.u32() });
  return out;
}

/** One defined table and where its bytes are (so a checker can rewrite its limits). */
export interface TableEntry {
  /** Offset of the entry's first byte and one past its last. */
  readonly start: number;
  readonly end: number;
  /** Offset of the limits' flags byte and one past the limits. */
  readonly limitsStart: number;
  readonly limitsEnd: number;
  readonly limits: Limits;
}

/** Decodes the table section (plain entries and `0x40 0x00` entries with an initializer). */
export function readTables(bytes: Uint8Array, s: SectionSpan | undefined): TableEntry[] {
  if (!s) return [];
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const out: TableEntry[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const start = r.pos;
    const withInit = bytes[r.pos] === 0x40;
    if (withInit) r.skip(2);
    skipValType(r);
    const limitsStart = r.pos;
    const limits = readLimits(r);
    const limitsEnd = r.pos;
    if (withInit) skipConstExpr(r);
    out.push({ start, end: r.pos, limitsStart, limitsEnd, limits });
  }
  return out;
}

/** One data segment. */
export interface DataSegment {
  /** True for an active segment (copied into a memory at instantiation). */
  readonly active: boolean;
  /** The offset of an active segment when it is a constant, else null. */
  readonly offset: number | null;
  /** Bytes the segment holds. */
  readonly length: number;
}

/** Decodes the data section's segment headers (the payloads are skipped, not copied). */
export function readDataSegments(bytes: Uint8Array, s: SectionSpan | undefined): DataSegment[] {
  if (!s) return [];
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const out: DataSegment[] = [];
  for (let n = r.u32(), i = 0; i < n; i++) {
    const flags = r.u32();
    if (flags > 2) r.fail(`unknown data segment flags ${flags}`);
    if (flags === 2) r.u32(); // memory index
    const offset = flags === 1 ? null : constExprValue(r);
    const length = r.u32();
    if (length > r.end - r.pos) r.fail(`data segment ${i} declares ${length} bytes but only ${r.end - r.pos} remain — the module is truncated or forged`);
    r.skip(length);
    out.push({ active: flags !== 1, offset, length });
  }
  return out;
}

/** The start section's function index, or null when the module has none. */
export function readStart(bytes: Uint8Array, s: SectionSpan | undefined): number | null {
  return s ? new ByteReader(bytes, s.payloadStart, s.end).u32() : null;
}

/**
 * Reads a constant expression up to and including its `end`; returns its value when
 * it is a single `i32.const` or `i64.const`, else null.
 */
export function constExprValue(r: ByteReader): number | null {
  const start = r.pos;
  const op = r.byte();
  if (op === 0x41 || op === 0x42) {
    const value = r.s64();
    if (r.buf[r.pos] === 0x0b && r.pos < r.end) {
      r.pos++;
      return value;
    }
  }
  r.pos = start;
  skipConstExpr(r);
  return null;
}
