/**
 * Inspects a user-supplied core module before it is metered or compiled: its imports
 * must all be WASI functions the host provides, its memory must fit the cap, its tables
 * must stay small, and it must be a WASI command. Table maxima are tightened in place so
 * `table.grow` cannot allocate past the cap (V8 has no table limit of its own per run).
 */
import { encodeU32, WasmFormatError, WasmReader, type Limits } from "./wasm-reader.js";

/** Caps this runtime applies on top of the execution policy. */
export interface WasmModuleLimits {
  /** Largest module (or component) accepted, in bytes. */
  readonly maxModuleBytes: number;
  /** Elements any one table may hold, initially or after `table.grow`. */
  readonly maxTableElements: number;
  /** Tables a module may define. */
  readonly maxTables: number;
  /** Core module instances a component may create. */
  readonly maxInstances: number;
}

/** Defaults: generous for hand-written and compiled guests, small enough for the host. */
export const DEFAULT_MODULE_LIMITS: WasmModuleLimits = Object.freeze({
  maxModuleBytes: 32 * 1024 * 1024,
  maxTableElements: 100_000,
  maxTables: 8,
  maxInstances: 32,
});

/** One import as declared by the module. */
export interface ImportDecl {
  readonly module: string;
  readonly name: string;
  readonly kind: "function" | "table" | "memory" | "global" | "tag";
}

/** The result of checking a module. */
export type ModuleCheck =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly imports: readonly ImportDecl[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/** What the check needs to know about the host and the run. */
export interface CheckContext {
  /** `wasi_snapshot_preview1` function names the host implements. */
  readonly wasiFunctions: ReadonlySet<string>;
  /** The run's memory cap in bytes. */
  readonly memoryBytes: number;
  readonly limits: WasmModuleLimits;
}

/**
 * A module's `start` function is exported under this name and its start section removed,
 * so it runs after instantiation on the run's fuel budget (a start function run inside
 * `WebAssembly.Instance` has only the meter's initial allowance, and its traps cannot be
 * told apart). The command driver calls it before `_start`.
 */
export const DEFERRED_START_EXPORT = "__llm_deferred_start";

const PAGE = 65536;
const KINDS = ["function", "table", "memory", "global", "tag"] as const;
const SECTION_NAMES = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"];

/** Checks (and, for table maxima, adjusts) a core module; see the module doc. */
export function checkModule(bytes: Uint8Array, ctx: CheckContext): ModuleCheck {
  const problems: string[] = [];
  let imports: ImportDecl[] = [];
  let tableRewrite: { start: number; end: number; payload: Uint8Array } | null = null;
  let exportSpan: { start: number; end: number } | null = null;
  let startSection: { start: number; end: number; func: number } | null = null;
  try {
    if (bytes.length > ctx.limits.maxModuleBytes) {
      return { ok: false, problems: [`the module is ${bytes.length} bytes; this sandbox accepts at most ${ctx.limits.maxModuleBytes}`] };
    }
    const r = new WasmReader(bytes);
    if (r.u32Fixed() !== 0x6d736100) return { ok: false, problems: ["not a WebAssembly module (missing the \\0asm header)"] };
    const version = r.u32Fixed();
    if (version !== 1) return { ok: false, problems: [`unsupported binary version 0x${version.toString(16)} (a component? pass it as a component)`] };
    let memories = 0;
    let tables = 0;
    let hasStart = false;
    while (!r.done) {
      const id = r.byte();
      const size = r.u32();
      const payloadStart = r.pos;
      if (size > r.end - payloadStart) {
        const what = SECTION_NAMES[id] ?? `#${id}`;
        return { ok: false, problems: [`the ${what} section declares ${size} bytes but only ${r.end - payloadStart} remain — the module is truncated or forged`] };
      }
      const s = new WasmReader(bytes, payloadStart, payloadStart + size);
      if (id === 2) imports = readImports(s);
      else if (id === 4) {
        const t = readTables(s, ctx.limits.maxTableElements, problems);
        tables += t.count;
        if (t.payload) tableRewrite = { start: payloadStart, end: payloadStart + size, payload: t.payload };
      } else if (id === 5) memories += readMemories(s, ctx.memoryBytes, problems);
      else if (id === 7) {
        const names = readExports(s);
        hasStart = names.has("_start");
        if (names.has(DEFERRED_START_EXPORT)) problems.push(`the export name "${DEFERRED_START_EXPORT}" is reserved by the sandbox`);
        exportSpan = { start: payloadStart, end: payloadStart + size };
      } else if (id === 8) startSection = { start: payloadStart, end: payloadStart + size, func: s.u32() };
      else if (id === 11) checkData(s, ctx.memoryBytes, problems);
      r.skip(size);
    }
    checkImports(imports, ctx, problems);
    memories += imports.filter((i) => i.kind === "memory").length;
    tables += imports.filter((i) => i.kind === "table").length;
    if (memories > 1) problems.push(`the module has ${memories} memories; only one linear memory is supported (it is the one the cap applies to)`);
    if (tables > ctx.limits.maxTables) problems.push(`the module has ${tables} tables; at most ${ctx.limits.maxTables} are allowed`);
    if (!hasStart) problems.push('the module exports no "_start" function — export one: (func (export "_start") ...)');
  } catch (error) {
    if (error instanceof WasmFormatError) return { ok: false, problems: [`malformed module: ${error.message}`] };
    throw error;
  }
  if (problems.length > 0) return { ok: false, problems };
  // Rewrites run back to front so earlier offsets stay valid.
  let out = bytes;
  if (startSection && exportSpan) {
    out = removeSection(out, startSection);
    out = replaceSection(out, { ...exportSpan, payload: withExport(out.subarray(exportSpan.start, exportSpan.end), DEFERRED_START_EXPORT, startSection.func) });
  }
  if (tableRewrite) out = replaceSection(out, tableRewrite);
  return { ok: true, bytes: out, imports };
}

function readImports(s: WasmReader): ImportDecl[] {
  const out: ImportDecl[] = [];
  for (let n = s.u32(); n > 0; n--) {
    const module = s.name();
    const name = s.name();
    const kind = s.byte();
    if (kind === 0) s.u32();
    else if (kind === 1) {
      refType(s);
      s.limits();
    } else if (kind === 2) s.limits();
    else if (kind === 3) {
      valType(s);
      s.byte();
    } else if (kind === 4) {
      s.byte();
      s.u32();
    } else throw new WasmFormatError(`unknown import kind ${kind}`, s.pos);
    out.push({ module, name, kind: KINDS[kind]! });
  }
  return out;
}

function checkImports(imports: readonly ImportDecl[], ctx: CheckContext, problems: string[]): void {
  const unknown: string[] = [];
  for (const imp of imports) {
    if (imp.kind === "memory") continue; // the host supplies the capped memory for any one memory import
    if (imp.module === "wasi_snapshot_preview1" && imp.kind === "function" && ctx.wasiFunctions.has(imp.name)) continue;
    unknown.push(`${imp.module}.${imp.name} (${imp.kind})`);
  }
  if (unknown.length > 0) {
    problems.push(
      `the module imports what this sandbox does not provide: ${unknown.join(", ")}. ` +
        "Only wasi_snapshot_preview1 functions (fd_write, path_open, args_get, environ_get, clock_time_get, random_get, proc_exit, …) and one memory can be imported.",
    );
  }
}

/** Reads the table section; returns a rewritten payload when a maximum had to be tightened. */
function readTables(s: WasmReader, cap: number, problems: string[]): { count: number; payload: Uint8Array | null } {
  const count = s.u32();
  const out: number[] = [...encodeU32(count)];
  let changed = false;
  for (let i = 0; i < count; i++) {
    const entryStart = s.pos;
    if (s.bytes[s.pos] === 0x40) s.skip(2); // table with an initializer expression
    refType(s);
    const prefix = s.bytes.subarray(entryStart, s.pos);
    const lim = s.limits();
    const afterLimits = s.pos;
    if (s.bytes[entryStart] === 0x40) s.constExpr();
    const suffix = s.bytes.subarray(afterLimits, s.pos);
    if (lim.min > cap) problems.push(`table ${i} starts with ${lim.min} elements; at most ${cap} are allowed`);
    const tight = tightened(lim, cap);
    if (tight) {
      changed = true;
      out.push(...prefix, tight.flags, ...encodeU32(tight.min), ...encodeU32(tight.max!), ...suffix);
    } else out.push(...s.bytes.subarray(entryStart, s.pos));
  }
  return { count, payload: changed ? Uint8Array.from(out) : null };
}

function tightened(lim: Limits, cap: number): Limits | null {
  if (lim.flags & 0x04 || lim.min > cap) return null; // 64-bit tables are left alone (V8 rejects them without a flag)
  if (lim.max !== null && lim.max <= cap) return null;
  return { flags: lim.flags | 1, min: lim.min, max: cap };
}

function readMemories(s: WasmReader, capBytes: number, problems: string[]): number {
  const count = s.u32();
  for (let i = 0; i < count; i++) {
    const lim = s.limits();
    if (lim.flags & 0x04) problems.push(`memory ${i} is a 64-bit memory, which this sandbox does not run`);
    else if (lim.flags & 0x02) problems.push(`memory ${i} is shared; threads are not available in this sandbox`);
    else if (lim.min * PAGE > capBytes) {
      problems.push(`memory ${i} starts at ${lim.min} pages (${fmtBytes(lim.min * PAGE)}), over the memory cap of ${fmtBytes(capBytes)} — declare fewer initial pages or raise policy.memoryBytes`);
    }
  }
  return count;
}

function checkData(s: WasmReader, capBytes: number, problems: string[]): void {
  for (let n = s.u32(), i = 0; i < n; i++) {
    const flag = s.u32();
    let offset: number | null = null;
    if (flag === 0 || flag === 2) {
      if (flag === 2) s.u32();
      offset = s.constExpr();
    } else if (flag !== 1) throw new WasmFormatError(`unknown data segment kind ${flag}`, s.pos);
    const len = s.u32();
    if (len > s.end - s.pos) {
      problems.push(`data segment ${i} declares ${fmtBytes(len)} but the module holds only ${fmtBytes(s.end - s.pos)} more — it is truncated or forged`);
      return;
    }
    s.skip(len);
    if (offset !== null && offset + len > capBytes) {
      problems.push(`data segment ${i} ends at byte ${offset + len}, past the memory cap of ${fmtBytes(capBytes)}`);
    }
  }
}

function readExports(s: WasmReader): Set<string> {
  const funcs = new Set<string>();
  for (let n = s.u32(); n > 0; n--) {
    const name = s.name();
    const kind = s.byte();
    s.u32();
    if (kind === 0) funcs.add(name);
  }
  return funcs;
}

/** The export section's payload with one more function export appended. */
function withExport(payload: Uint8Array, name: string, func: number): Uint8Array {
  const r = new WasmReader(payload);
  const count = r.u32();
  const nameBytes = new TextEncoder().encode(name);
  return Uint8Array.from([...encodeU32(count + 1), ...payload.subarray(r.pos), ...encodeU32(nameBytes.length), ...nameBytes, 0x00, ...encodeU32(func)]);
}

/** Removes a whole section (its id and size bytes included). */
function removeSection(bytes: Uint8Array, span: { start: number; end: number }): Uint8Array {
  let headerStart = span.start - 1;
  while (headerStart > 0 && (bytes[headerStart - 1]! & 0x80) !== 0) headerStart--;
  headerStart--; // the id byte
  const out = new Uint8Array(bytes.length - (span.end - headerStart));
  out.set(bytes.subarray(0, headerStart), 0);
  out.set(bytes.subarray(span.end), headerStart);
  return out;
}

function refType(s: WasmReader): void {
  const b = s.byte();
  if (b === 0x63 || b === 0x64) s.s64();
}

function valType(s: WasmReader): void {
  refType(s);
}

function replaceSection(bytes: Uint8Array, rw: { start: number; end: number; payload: Uint8Array }): Uint8Array {
  // The section's id and size precede `start`; re-encode the size for the new payload.
  let sizeStart = rw.start - 1;
  while (sizeStart > 0 && (bytes[sizeStart - 1]! & 0x80) !== 0) sizeStart--;
  const size = encodeU32(rw.payload.length);
  const out = new Uint8Array(sizeStart + size.length + rw.payload.length + (bytes.length - rw.end));
  out.set(bytes.subarray(0, sizeStart), 0);
  out.set(size, sizeStart);
  out.set(rw.payload, sizeStart + size.length);
  out.set(bytes.subarray(rw.end), sizeStart + size.length + rw.payload.length);
  return out;
}

function fmtBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`;
  return `${n} bytes`;
}
