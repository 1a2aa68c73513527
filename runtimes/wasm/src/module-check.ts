/**
 * Inspects a user-supplied core module before it is metered or compiled: its imports
 * must all be WASI functions the host provides, its memory must fit the cap, its tables
 * and its counts of types, functions and globals must stay small, and it must be a WASI
 * command. Table maxima are tightened in place so `table.grow` cannot allocate past the
 * cap (V8 has no table limit of its own per run). Reads the module with wasi-host's one
 * binary reader (`@llm-wasm-sandbox/wasi-host/wasm-binary`). Runs in a worker thread
 * (see prepare-module.ts), never on the host's main thread.
 */
import {
  ByteWriter,
  SECTION,
  WasmFormatError,
  readCount,
  readDataSegments,
  readExports,
  readImports,
  readMemories,
  readSections,
  readStart,
  readTables,
  readTypeSignatures,
  type ImportEntry,
  type Limits,
  type SectionSpan,
} from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import { HOST_CALL_MODULE, HOST_CALL_SIGNATURES } from "./host-calls.js";

/** Caps this runtime applies on top of the execution policy. */
export interface WasmModuleLimits {
  /** Largest module (or component) accepted, in bytes. */
  readonly maxModuleBytes: number;
  /** Largest WAT text accepted, in bytes (UTF-8). */
  readonly maxWatBytes: number;
  /** Elements any one table may hold, initially or after `table.grow`. */
  readonly maxTableElements: number;
  /** Tables a module may define. */
  readonly maxTables: number;
  /** Core module instances a component may create. */
  readonly maxInstances: number;
  /** Function types a module may declare. */
  readonly maxTypes: number;
  /** Functions a module may define and import. */
  readonly maxFunctions: number;
  /** Globals a module may define and import. */
  readonly maxGlobals: number;
  /** Deepest nesting of blocks (`block`/`loop`/`if`/`try`, or parentheses in WAT). */
  readonly maxNestingDepth: number;
  /** Largest module after fuel metering, in bytes. */
  readonly maxInstrumentedBytes: number;
}

/** Defaults: generous for hand-written and compiled guests, small enough for the host. */
export const DEFAULT_MODULE_LIMITS: WasmModuleLimits = Object.freeze({
  maxModuleBytes: 32 * 1024 * 1024,
  maxWatBytes: 16 * 1024 * 1024,
  maxTableElements: 100_000,
  maxTables: 8,
  maxInstances: 32,
  maxTypes: 20_000,
  maxFunctions: 200_000,
  maxGlobals: 20_000,
  maxNestingDepth: 2_000,
  maxInstrumentedBytes: 64 * 1024 * 1024,
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

/** Checks (and, for table maxima and a start function, adjusts) a core module; see the module doc. */
export function checkModule(bytes: Uint8Array, ctx: CheckContext): ModuleCheck {
  if (bytes.length > ctx.limits.maxModuleBytes) {
    return { ok: false, problems: [`the module is ${bytes.length} bytes; this sandbox accepts at most ${ctx.limits.maxModuleBytes}`] };
  }
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    return { ok: false, problems: ["not a WebAssembly module (missing the \\0asm header)"] };
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    return { ok: false, problems: ["unsupported binary version (a component? pass it as a component)"] };
  }
  try {
    return check(bytes, ctx);
  } catch (error) {
    if (WasmFormatError.isInstance(error)) return { ok: false, problems: [`malformed module: ${error.detail} (at byte ${error.offset})`] };
    throw error;
  }
}

function check(bytes: Uint8Array, ctx: CheckContext): ModuleCheck {
  const sections = readSections(bytes);
  const find = (id: number): SectionSpan | undefined => sections.find((s) => s.id === id);
  const problems: string[] = [];
  const importSpan = find(SECTION.import);
  const rawImports = importSpan ? readImports(bytes, importSpan) : [];
  const imports = rawImports.map((i): ImportDecl => ({ module: i.module, name: i.name, kind: KINDS[i.kind]! }));
  const signatures = rawImports.some((i) => i.module === HOST_CALL_MODULE) ? readTypeSignatures(bytes, find(SECTION.type)) : [];
  checkImports(imports, rawImports.map((i) => (i.typeIndex === null ? null : (signatures[i.typeIndex] ?? null))), ctx, problems);
  checkCounts(bytes, find, rawImports, ctx, problems);

  const tables = readTables(bytes, find(SECTION.table));
  const tableCount = tables.length + rawImports.filter((i) => i.kind === 1).length;
  if (tableCount > ctx.limits.maxTables) problems.push(`the module has ${tableCount} tables; at most ${ctx.limits.maxTables} are allowed`);
  tables.forEach((t, i) => {
    if (t.limits.min > ctx.limits.maxTableElements) problems.push(`table ${i} starts with ${t.limits.min} elements; at most ${ctx.limits.maxTableElements} are allowed`);
  });

  const memories = readMemories(bytes, find(SECTION.memory)).limits;
  memories.forEach((l, i) => checkMemory(l, i, ctx.memoryBytes, problems));
  const memoryCount = memories.length + rawImports.filter((i) => i.kind === 2).length;
  if (memoryCount > 1) problems.push(`the module has ${memoryCount} memories; only one linear memory is supported (it is the one the cap applies to)`);

  readDataSegments(bytes, find(SECTION.data)).forEach((d, i) => {
    if (d.offset !== null && d.offset + d.length > ctx.memoryBytes) {
      problems.push(`data segment ${i} ends at byte ${d.offset + d.length}, past the memory cap of ${fmtBytes(ctx.memoryBytes)}`);
    }
  });

  const exports = readExports(bytes, find(SECTION.export));
  if (!exports.some((e) => e.kind === 0 && e.name === "_start")) problems.push('the module exports no "_start" function — export one: (func (export "_start") ...)');
  if (exports.some((e) => e.name === DEFERRED_START_EXPORT)) problems.push(`the export name "${DEFERRED_START_EXPORT}" is reserved by the sandbox`);
  if (problems.length > 0) return { ok: false, problems };

  // Rewrites run back to front so earlier offsets stay valid.
  let out = bytes;
  const start = readStart(bytes, find(SECTION.start));
  const exportSpan = find(SECTION.export);
  if (start !== null && exportSpan) {
    out = removeSection(out, find(SECTION.start)!);
    out = replacePayload(out, exportSpan, withExport(out.subarray(exportSpan.payloadStart, exportSpan.end), DEFERRED_START_EXPORT, start));
  }
  const tableSpan = find(SECTION.table);
  const tightenedTables = tableSpan ? tightenTables(bytes, tableSpan, ctx.limits.maxTableElements) : null;
  if (tableSpan && tightenedTables) out = replacePayload(out, tableSpan, tightenedTables);
  return { ok: true, bytes: out, imports };
}

/** `signatures[i]` is the type of function import i (as `readTypeSignatures` writes it). */
function checkImports(imports: readonly ImportDecl[], signatures: readonly (string | null)[], ctx: CheckContext, problems: string[]): void {
  const unknown: string[] = [];
  imports.forEach((imp, i) => {
    if (imp.kind === "memory") return; // the host supplies the capped memory for any one memory import
    if (imp.module === "wasi_snapshot_preview1" && imp.kind === "function" && ctx.wasiFunctions.has(imp.name)) return;
    if (imp.module === HOST_CALL_MODULE && imp.kind === "function" && Object.hasOwn(HOST_CALL_SIGNATURES, imp.name)) {
      const expected = HOST_CALL_SIGNATURES[imp.name]!;
      // A JavaScript import accepts any signature; a wrong one would hand the host BigInts or floats.
      if (signatures[i] !== expected) problems.push(`${HOST_CALL_MODULE}.${imp.name} must have type ${expected}, not ${signatures[i] ?? "unknown"}`);
      return;
    }
    unknown.push(`${imp.module}.${imp.name} (${imp.kind})`);
  });
  if (unknown.length > 0) {
    problems.push(
      `the module imports what this sandbox does not provide: ${unknown.slice(0, 20).join(", ")}${unknown.length > 20 ? `, … (${unknown.length} in all)` : ""}. ` +
        `Only wasi_snapshot_preview1 functions (fd_write, path_open, args_get, environ_get, clock_time_get, random_get, proc_exit, …), the host-function calls ${HOST_CALL_MODULE}.call/reply and one memory can be imported.`,
    );
  }
}

/** Types, functions and globals: each count costs the engine memory and time to compile. */
function checkCounts(bytes: Uint8Array, find: (id: number) => SectionSpan | undefined, imports: readonly ImportEntry[], ctx: CheckContext, problems: string[]): void {
  const { maxTypes, maxFunctions, maxGlobals } = ctx.limits;
  const types = readCount(bytes, find(SECTION.type));
  const functions = readCount(bytes, find(SECTION.function)) + imports.filter((i) => i.kind === 0).length;
  const globals = readCount(bytes, find(SECTION.global)) + imports.filter((i) => i.kind === 3).length;
  if (types > maxTypes) problems.push(`the module declares ${types} types; at most ${maxTypes} are allowed`);
  if (functions > maxFunctions) problems.push(`the module has ${functions} functions; at most ${maxFunctions} are allowed`);
  if (globals > maxGlobals) problems.push(`the module has ${globals} globals; at most ${maxGlobals} are allowed`);
}

function checkMemory(l: Limits, i: number, capBytes: number, problems: string[]): void {
  if (l.memory64) problems.push(`memory ${i} is a 64-bit memory, which this sandbox does not run`);
  else if (l.shared) problems.push(`memory ${i} is shared; threads are not available in this sandbox`);
  else if (l.min * PAGE > capBytes) {
    problems.push(`memory ${i} starts at ${l.min} pages (${fmtBytes(l.min * PAGE)}), over the memory cap of ${fmtBytes(capBytes)} — declare fewer initial pages or raise policy.memoryBytes`);
  }
}

/** The table section's payload with every maximum over `cap` (or missing) set to `cap`, or null when none changes. */
function tightenTables(bytes: Uint8Array, span: SectionSpan, cap: number): Uint8Array | null {
  const tables = readTables(bytes, span);
  const w = new ByteWriter(span.end - span.payloadStart + 16 * tables.length);
  w.u32(tables.length);
  let changed = false;
  for (const t of tables) {
    const l = t.limits;
    // 64-bit tables are left alone (V8 rejects them without a flag); oversized ones were refused.
    const tighten = !l.memory64 && l.min <= cap && (l.max === null || l.max > cap);
    if (!tighten) {
      w.bytes(bytes, t.start, t.end);
      continue;
    }
    changed = true;
    w.bytes(bytes, t.start, t.limitsStart);
    w.byte(l.flags | 1);
    w.u32(l.min);
    w.u32(cap);
    w.bytes(bytes, t.limitsEnd, t.end);
  }
  return changed ? w.view().slice() : null;
}

/** The export section's payload with one more function export appended. */
function withExport(payload: Uint8Array, name: string, func: number): Uint8Array {
  const count = readCount(payload, { id: SECTION.export, start: 0, payloadStart: 0, end: payload.length, name: "" });
  const w = new ByteWriter(payload.length + name.length + 16);
  w.u32(count + 1);
  w.bytes(payload, lebLength(payload, 0), payload.length);
  w.name(name);
  w.byte(0x00);
  w.u32(func);
  return w.view().slice();
}

/** Removes a whole section (its id and size bytes included). */
function removeSection(bytes: Uint8Array, span: SectionSpan): Uint8Array {
  const out = new Uint8Array(bytes.length - (span.end - span.start));
  out.set(bytes.subarray(0, span.start), 0);
  out.set(bytes.subarray(span.end), span.start);
  return out;
}

/** Replaces a section's payload (re-encoding its size); `span` must be valid in `bytes`. */
function replacePayload(bytes: Uint8Array, span: SectionSpan, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter(bytes.length - (span.end - span.start) + payload.length + 8);
  w.bytes(bytes, 0, span.start);
  w.section(span.id, payload);
  w.bytes(bytes, span.end, bytes.length);
  return w.view().slice();
}

function lebLength(bytes: Uint8Array, at: number): number {
  let n = at;
  while ((bytes[n]! & 0x80) !== 0) n++;
  return n + 1 - at;
}

function fmtBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`;
  return `${n} bytes`;
}
