/**
 * Small, exact edits of a core WebAssembly module: replace some function bodies, one
 * global's `i32.const` initializer and the first memory's minimum size. Every other byte
 * is copied unchanged, and no index moves, so the edit composes with the fuel meter that
 * runs after it.
 */
import { ByteReader, ByteWriter, readImports, readSections, SECTION, type SectionSpan } from "@llm-wasm-sandbox/wasi-host/wasm-binary";

/** One defined function's body (locals and code, without its size prefix). */
export interface FunctionBody {
  /** Function index (imports counted). */
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

/** What `patchModule` changes. */
export interface ModuleEdits {
  /** New bodies (locals + code + `end`) by function index. */
  readonly bodies: ReadonlyMap<number, Uint8Array>;
  /** New `i32.const` initial values by global index (defined globals only). */
  readonly globalInits: ReadonlyMap<number, number>;
  /** New minimum of memory 0, in 64 KiB pages. */
  readonly memoryMinPages: number;
  /** Functions appended after the last defined one (indices `functionCount`, `+1`, …). */
  readonly appended?: ReadonlyArray<{ readonly typeIndex: number; readonly body: Uint8Array }>;
}

/** The parts of a module the stack-layout rewrite reads. */
export interface ModuleView {
  readonly bytes: Uint8Array;
  readonly sections: readonly SectionSpan[];
  readonly importedFunctions: number;
  readonly bodies: readonly FunctionBody[];
  /** Export name → function index. */
  readonly functionExports: ReadonlyMap<string, number>;
  /** Type index of every defined function (index − importedFunctions). */
  readonly functionTypes: readonly number[];
}

/** Reads what `patchModule` and the pattern searches need. */
export function viewModule(bytes: Uint8Array): ModuleView {
  const sections = readSections(bytes);
  const section = (id: number): SectionSpan | undefined => sections.find((s) => s.id === id);
  const imports = section(SECTION.import);
  const importedFunctions = imports ? readImports(bytes, imports).filter((i) => i.kind === 0).length : 0;
  const bodies: FunctionBody[] = [];
  const code = section(SECTION.code);
  if (code) {
    const r = new ByteReader(bytes, code.payloadStart, code.end);
    for (let i = 0, n = r.u32(); i < n; i++) {
      const size = r.u32();
      bodies.push({ index: importedFunctions + i, start: r.pos, end: r.pos + size });
      r.pos += size;
    }
  }
  const functionExports = new Map<string, number>();
  const exports = section(SECTION.export);
  if (exports) {
    const r = new ByteReader(bytes, exports.payloadStart, exports.end);
    for (let i = 0, n = r.u32(); i < n; i++) {
      const name = r.name();
      const kind = r.byte();
      const index = r.u32();
      if (kind === 0) functionExports.set(name, index);
    }
  }
  const functionTypes: number[] = [];
  const funcs = section(SECTION.function);
  if (funcs) {
    const r = new ByteReader(bytes, funcs.payloadStart, funcs.end);
    for (let i = 0, n = r.u32(); i < n; i++) functionTypes.push(r.u32());
  }
  return { bytes, sections, importedFunctions, bodies, functionExports, functionTypes };
}

/** The `i32.const` initializer of a defined global, or null when it has another form. */
export function globalI32Init(view: ModuleView, index: number): number | null {
  const s = view.sections.find((x) => x.id === SECTION.global);
  if (!s) return null;
  const r = new ByteReader(view.bytes, s.payloadStart, s.end);
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const type = r.byte();
    r.byte();
    const op = r.byte();
    const value = op === 0x41 ? r.s64() : null;
    if (i === index) return type === 0x7f && r.byte() === 0x0b ? value : null;
    if (op !== 0x41) return null; // only i32.const-initialized globals before it are walked
    r.byte();
  }
  return null;
}

/** Minimum and maximum of memory 0 when the module defines it (not imported). */
export function memoryLimits(view: ModuleView): { min: number; max: number | null } | null {
  const s = view.sections.find((x) => x.id === SECTION.memory);
  if (!s) return null;
  const r = new ByteReader(view.bytes, s.payloadStart, s.end);
  if (r.u32() < 1) return null;
  const flags = r.byte();
  if (flags !== 0 && flags !== 1) return null;
  const min = r.u32();
  return { min, max: flags === 1 ? r.u32() : null };
}

/** The module with `edits` applied. */
export function patchModule(view: ModuleView, edits: ModuleEdits): Uint8Array<ArrayBuffer> {
  const { bytes } = view;
  const out = new ByteWriter(bytes.length + 4096);
  out.bytes(bytes, 0, 8);
  for (const s of view.sections) {
    if (s.id === SECTION.code) out.section(s.id, codeSection(view, edits.bodies, edits.appended ?? []));
    else if (s.id === SECTION.function) out.section(s.id, functionSection(view, edits.appended ?? []));
    else if (s.id === SECTION.global) out.section(s.id, globalSection(bytes, s, edits.globalInits));
    else if (s.id === SECTION.memory) out.section(s.id, memorySection(view, edits.memoryMinPages));
    else out.bytes(bytes, s.start, s.end);
  }
  return out.view();
}

function functionSection(view: ModuleView, appended: NonNullable<ModuleEdits["appended"]>): Uint8Array {
  const w = new ByteWriter(view.functionTypes.length * 3 + 16);
  w.u32(view.functionTypes.length + appended.length);
  for (const t of view.functionTypes) w.u32(t);
  for (const f of appended) w.u32(f.typeIndex);
  return w.view();
}

function codeSection(view: ModuleView, bodies: ReadonlyMap<number, Uint8Array>, appended: NonNullable<ModuleEdits["appended"]>): Uint8Array {
  const w = new ByteWriter(view.bytes.length);
  w.u32(view.bodies.length + appended.length);
  for (const b of view.bodies) {
    const replaced = bodies.get(b.index);
    if (replaced) {
      w.u32(replaced.length);
      w.bytes(replaced);
    } else {
      w.u32(b.end - b.start);
      w.bytes(view.bytes, b.start, b.end);
    }
  }
  for (const f of appended) {
    w.u32(f.body.length);
    w.bytes(f.body);
  }
  return w.view();
}

function globalSection(bytes: Uint8Array, s: SectionSpan, inits: ReadonlyMap<number, number>): Uint8Array {
  const r = new ByteReader(bytes, s.payloadStart, s.end);
  const w = new ByteWriter(s.end - s.payloadStart + 16);
  const n = r.u32();
  w.u32(n);
  for (let i = 0; i < n; i++) {
    const from = r.pos;
    const type = r.byte();
    const mut = r.byte();
    const value = inits.get(i);
    if (value === undefined) {
      skipInit(r);
      w.bytes(bytes, from, r.pos);
      continue;
    }
    if (type !== 0x7f || r.byte() !== 0x41) throw new Error(`global ${i} is not an i32 initialized by i32.const`);
    r.s64();
    if (r.byte() !== 0x0b) throw new Error(`global ${i} has a constant expression of more than one instruction`);
    w.byte(type);
    w.byte(mut);
    w.byte(0x41);
    w.sleb(value);
    w.byte(0x0b);
  }
  return w.view();
}

/** Skips a constant expression made of plain instructions (const, global.get, ref.*). */
function skipInit(r: ByteReader): void {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return;
    if (op === 0x41 || op === 0x42) r.skipLeb();
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0x23 || op === 0xd2) r.u32();
    else if (op === 0xd0) r.byte();
    else throw new Error(`unexpected opcode 0x${op.toString(16)} in a global initializer`);
  }
}

function memorySection(view: ModuleView, minPages: number): Uint8Array {
  const limits = memoryLimits(view);
  if (!limits) throw new Error("the module does not define memory 0");
  if (limits.max !== null && minPages > limits.max) throw new Error(`memory 0 allows at most ${limits.max} pages, ${minPages} asked`);
  const s = view.sections.find((x) => x.id === SECTION.memory)!;
  const r = new ByteReader(view.bytes, s.payloadStart, s.end);
  const n = r.u32();
  r.byte();
  r.u32();
  if (limits.max !== null) r.u32();
  const w = new ByteWriter(s.end - s.payloadStart + 8);
  w.u32(n);
  w.byte(limits.max === null ? 0 : 1);
  w.u32(minPages);
  if (limits.max !== null) w.u32(limits.max);
  w.bytes(view.bytes, r.pos, s.end);
  return w.view();
}
