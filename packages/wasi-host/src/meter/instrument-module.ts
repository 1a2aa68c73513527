/**
 * Module-level rewrite: adds the fuel and grow-failed globals and their exports, the
 * memory.grow observer function, turns memory 0 into the import `env.memory`, strips
 * debug sections and rewrites every function body. Untouched sections are copied byte
 * for byte. No function, global or table import is added and nothing is inserted
 * before existing definitions, so every existing index (and the `name` section) stays
 * valid.
 */
import type { MemoryImportSpec } from "../types.js";
import { GLOBAL_EXPORT_PREFIX } from "./global-export-prefix.js";
import { ByteReader } from "../wasm-binary/byte-reader.js";
import { ByteWriter } from "../wasm-binary/byte-writer.js";
import { FunctionRewriter, type MeterStats } from "./instrument-function.js";
import { MeterError } from "./meter-error.js";
import {
  SECTION,
  SECTION_ORDER,
  limitsFlags,
  readCount,
  readExportNames,
  readGlobals,
  readImports,
  readMemories,
  readSections,
  readFunctionTypes,
  readTypeParamCounts,
  type Limits,
  type SectionSpan,
} from "../wasm-binary/module-sections.js";
import { shouldStripCustomSection } from "./strip.js";
import { WasmFormatError } from "../wasm-binary/wasm-format-error.js";

// Bump METER_VERSION (meter-version.ts) whenever the rewrite changes.
export { METER_VERSION } from "./meter-version.js";

/** Export name of the fuel-remaining global (mutable i64). */
export const FUEL_EXPORT = "__llm_fuel";
/** Export name of the i32 global set to 1 when a `memory.grow` returned -1. */
export const GROW_FAILED_EXPORT = "__llm_grow_failed";
/**
 * Value `__llm_fuel` holds when an instance is created. A module's start function runs
 * inside `WebAssembly.instantiate`, before the host can set the budget, so it runs
 * against this allowance (bounded, never unmetered); the host then overwrites the
 * global with the run's budget (and may charge `INITIAL_FUEL - value` for the start).
 */
export const INITIAL_FUEL = 10_000_000;

export { GLOBAL_EXPORT_PREFIX };

/** Options of `instrumentModule`; all of them take part in the cache key. */
export interface InstrumentOptions {
  /** Also export every defined mutable global as `__llm_global_<index>`. Default false. */
  readonly exportMutableGlobals?: boolean;
  /** Keep the `name` custom section (trap stack traces). Default true. */
  readonly keepNameSection?: boolean;
}

/**
 * Caps on what the meter will rewrite (they refuse, never change the output, so they are
 * not part of the cache key). For modules of unknown origin (user uploads), so that a
 * crafted module cannot make the rewrite, and the engine after it, do unbounded work.
 */
export interface MeterLimits {
  /** Deepest nesting of blocks (`block`/`loop`/`if`/`try`) in any function. */
  readonly maxNestingDepth?: number;
  /** Largest instrumented module, in bytes. */
  readonly maxOutputBytes?: number;
}

/**
 * Refuses modules the engine would refuse. This is a security check, not politeness:
 * the meter appends a global, a function and a local per function, so an invalid
 * module that names one index too many (say `local.set` of the local just past its
 * own) would *become* valid after metering — and would be writing its own fuel.
 */
function assertValid(bytes: Uint8Array<ArrayBuffer>): void {
  if (WebAssembly.validate(bytes)) return;
  let reason = "it does not validate";
  try {
    new WebAssembly.Module(bytes);
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  throw new MeterError(`the module is not valid WebAssembly for this engine (${reason})`, { offset: 0 });
}

/** The instrumented module and what the host needs to know to run it. */
export interface InstrumentResult {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly memory: MemoryImportSpec;
  readonly fuelExport: string;
  readonly growFailedExport: string;
  /** Names of the `__llm_global_<index>` exports added (empty unless asked for). */
  readonly mutableGlobalExports: readonly string[];
  /** Bytes of custom sections removed. */
  readonly strippedBytes: number;
  readonly stats: MeterStats;
}

/**
 * Instruments a core WebAssembly module for fuel metering. Throws MeterError when the
 * module is malformed, uses an operator the meter cannot charge, or exceeds `limits`.
 */
export function instrumentModule(input: Uint8Array, options: InstrumentOptions = {}, limits: MeterLimits = {}): InstrumentResult {
  try {
    return instrument(input, options, limits);
  } catch (error) {
    if (WasmFormatError.isInstance(error)) throw new MeterError(error.detail, { offset: error.offset }, { cause: error });
    throw error;
  }
}

function instrument(input: Uint8Array, options: InstrumentOptions, limits: MeterLimits): InstrumentResult {
  // A plain view: Buffer's subarray() is much slower than Uint8Array's in the hot path.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength) as Uint8Array<ArrayBuffer>;
  const sections = readSections(bytes);
  const find = (id: number): SectionSpan | undefined => sections.find((s) => s.id === id);
  for (const id of SECTION_ORDER) {
    if (sections.filter((s) => s.id === id).length > 1) {
      throw new MeterError(`duplicate section ${id}`, { offset: sections.find((s) => s.id === id)!.start });
    }
  }

  const imports = find(SECTION.import) ? readImports(bytes, find(SECTION.import)!) : [];
  const importedFuncs = imports.filter((i) => i.kind === 0).length;
  const importedGlobals = imports.filter((i) => i.kind === 3).length;
  const importedMemory = imports.find((i) => i.kind === 2);
  const typeParams = readTypeParamCounts(bytes, find(SECTION.type));
  const typeCount = typeParams.length;
  const funcTypes = readFunctionTypes(bytes, find(SECTION.function));
  const definedFuncs = funcTypes.length;
  const paramCounts = new Uint32Array(definedFuncs);
  for (let i = 0; i < definedFuncs; i++) {
    const p = typeParams[funcTypes[i]!];
    if (p === undefined) throw new MeterError(`function ${importedFuncs + i} has an unknown type index`, { offset: 0 });
    paramCounts[i] = p;
  }
  const globals = readGlobals(bytes, find(SECTION.global));
  const memories = readMemories(bytes, find(SECTION.memory));
  const exportNames = readExportNames(bytes, find(SECTION.export));

  // Memory 0: keep an existing import, else turn the first defined memory into one.
  let memory: MemoryImportSpec;
  let movedLimits: Limits | null = null;
  if (importedMemory) {
    const l = importedMemory.limits!;
    checkMemory(l, find(SECTION.import)!.payloadStart);
    memory = { module: importedMemory.module, name: importedMemory.name, initialPages: l.min, maximumPages: l.max };
  } else {
    const l = memories.limits[0] ?? { min: 0, max: null, shared: false, memory64: false, flags: 0 };
    checkMemory(l, find(SECTION.memory)?.payloadStart ?? 0);
    movedLimits = l;
    memory = { module: "env", name: "memory", initialPages: l.min, maximumPages: l.max };
  }

  const growType = typeCount;
  const growFunction = importedFuncs + definedFuncs;
  const fuelGlobal = importedGlobals + globals.length;
  const growFailedGlobal = fuelGlobal + 1;

  const newExports: Array<[string, number]> = [
    [FUEL_EXPORT, fuelGlobal],
    [GROW_FAILED_EXPORT, growFailedGlobal],
  ];
  const mutableGlobalExports: string[] = [];
  if (options.exportMutableGlobals) {
    globals.forEach((g, i) => {
      if (!g.mutable) return;
      const name = `${GLOBAL_EXPORT_PREFIX}${importedGlobals + i}`;
      newExports.push([name, importedGlobals + i]);
      mutableGlobalExports.push(name);
    });
  }
  for (const [name] of newExports) {
    if (exportNames.has(name)) {
      throw new MeterError(`the module already exports "${name}", a name the meter reserves`, {
        offset: find(SECTION.export)!.payloadStart,
      });
    }
  }

  const stats: MeterStats = { functions: 0, charges: 0, checks: 0, growSites: 0, callSites: 0, bulkSites: 0, refundedBranches: 0, mergedJoins: 0 };
  const build: Record<number, () => Uint8Array | null> = {
    [SECTION.type]: () => appendEntries(bytes, find(SECTION.type), Uint8Array.of(0x60, 0x01, 0x7f, 0x01, 0x7f), 1),
    [SECTION.import]: () => {
      if (!movedLimits) return original(bytes, find(SECTION.import));
      const w = new ByteWriter(64);
      w.name("env");
      w.name("memory");
      w.byte(0x02);
      w.byte(limitsFlags(movedLimits));
      w.u32(movedLimits.min);
      if (movedLimits.max !== null) w.u32(movedLimits.max);
      return appendEntries(bytes, find(SECTION.import), w.view(), 1);
    },
    [SECTION.function]: () => {
      const w = new ByteWriter(8);
      w.u32(growType);
      return appendEntries(bytes, find(SECTION.function), w.view(), 1);
    },
    [SECTION.memory]: () => (movedLimits ? dropFirstMemory(bytes, memories) : original(bytes, find(SECTION.memory))),
    [SECTION.global]: () => {
      // (mut i64) = INITIAL_FUEL for fuel, (mut i32) = 0 for grow-failed.
      const add = new ByteWriter(16);
      add.bytes(Uint8Array.of(0x7e, 0x01, 0x42));
      add.sleb(INITIAL_FUEL);
      add.bytes(Uint8Array.of(0x0b, 0x7f, 0x01, 0x41, 0x00, 0x0b));
      return appendEntries(bytes, find(SECTION.global), add.view(), 2);
    },
    [SECTION.export]: () => {
      const w = new ByteWriter(64 * newExports.length);
      for (const [name, index] of newExports) {
        w.name(name);
        w.byte(0x03);
        w.u32(index);
      }
      return appendEntries(bytes, find(SECTION.export), w.view(), newExports.length);
    },
    [SECTION.code]: () => {
      const rewriter = new FunctionRewriter({ fuelGlobal, growFunction, maxNestingDepth: limits.maxNestingDepth ?? Infinity }, stats);
      return rewriteCode(bytes, find(SECTION.code), rewriter, importedFuncs, paramCounts, growFailedGlobal);
    },
  };
  if (definedFuncs !== readCount(bytes, find(SECTION.code))) {
    throw new MeterError("function and code sections disagree on the number of functions", {
      offset: find(SECTION.code)?.start ?? 0,
    });
  }

  const out = new ByteWriter(bytes.length + (bytes.length >> 2));
  out.bytes(bytes, 0, 8);
  let strippedBytes = 0;
  let rank = -1;
  const emitUpTo = (untilRank: number): void => {
    // Sections the module lacks but the meter needs are synthesised in order.
    for (let k = rank + 1; k < untilRank; k++) {
      const id = SECTION_ORDER[k]!;
      if (!find(id) && build[id]) {
        const payload = build[id]();
        if (payload) out.section(id, payload);
      }
    }
    rank = Math.max(rank, untilRank);
  };
  for (const s of sections) {
    if (s.id === SECTION.custom) {
      if (shouldStripCustomSection(s.name, options)) strippedBytes += s.end - s.start;
      else out.bytes(bytes, s.start, s.end);
      continue;
    }
    const k = SECTION_ORDER.indexOf(s.id);
    if (k < 0) throw new MeterError(`unknown section id ${s.id}`, { offset: s.start });
    emitUpTo(k);
    const payload = build[s.id] ? build[s.id]!() : bytes.subarray(s.payloadStart, s.end);
    if (payload) out.section(s.id, payload);
  }
  emitUpTo(SECTION_ORDER.length);
  if (limits.maxOutputBytes !== undefined && out.length > limits.maxOutputBytes) {
    throw new MeterError(`the metered module would be ${out.length} bytes; at most ${limits.maxOutputBytes} are allowed`, { offset: 0, limitExceeded: true });
  }
  // Last, so operators the meter does not know get the meter's precise error first.
  assertValid(bytes);

  return {
    bytes: out.view(),
    memory,
    fuelExport: FUEL_EXPORT,
    growFailedExport: GROW_FAILED_EXPORT,
    mutableGlobalExports,
    strippedBytes,
    stats,
  };
}

function original(bytes: Uint8Array, s: SectionSpan | undefined): Uint8Array | null {
  return s ? bytes.subarray(s.payloadStart, s.end) : null;
}

function checkMemory(l: Limits, offset: number): void {
  if (l.memory64) throw new MeterError("memory64 memories are not supported", { offset });
  if (l.shared) throw new MeterError("shared memories (threads) are not supported", { offset });
}

/** A vector section's payload with `count` more entries appended (or a new one). */
function appendEntries(bytes: Uint8Array, s: SectionSpan | undefined, entries: Uint8Array, count: number): Uint8Array {
  const w = new ByteWriter((s ? s.end - s.payloadStart : 0) + entries.length + 8);
  if (!s) {
    w.u32(count);
  } else {
    const r = new ByteReader(bytes, s.payloadStart, s.end);
    const n = r.u32();
    w.u32(n + count);
    w.bytes(bytes, r.pos, s.end);
  }
  w.bytes(entries);
  return w.view();
}

/** The memory section without its first entry, or null when it becomes empty. */
function dropFirstMemory(bytes: Uint8Array, m: { limits: Limits[]; entryStarts: number[] }): Uint8Array | null {
  if (m.limits.length <= 1) return null;
  const w = new ByteWriter(64);
  w.u32(m.limits.length - 1);
  w.bytes(bytes, m.entryStarts[1]!, m.entryStarts[m.entryStarts.length - 1]!);
  return w.view();
}

/** Rewrites every body and appends the memory.grow observer. */
function rewriteCode(
  bytes: Uint8Array,
  s: SectionSpan | undefined,
  rewriter: FunctionRewriter,
  importedFuncs: number,
  paramCounts: Uint32Array,
  growFailedGlobal: number,
): Uint8Array {
  const size = s ? s.end - s.payloadStart : 0;
  const w = new ByteWriter(size + (size >> 1) + 64);
  const bodyOut = new ByteWriter(1 << 16);
  let n = 0;
  if (s) {
    const r = new ByteReader(bytes, s.payloadStart, s.end);
    n = r.u32();
    w.u32(n + 1);
    for (let i = 0; i < n; i++) {
      const bodySize = r.u32();
      const bodyEnd = r.pos + bodySize;
      if (bodyEnd > s.end) throw new MeterError("function body runs past the code section", { offset: r.pos, functionIndex: importedFuncs + i });
      const br = new ByteReader(bytes, r.pos, bodyEnd);
      bodyOut.reset();
      rewriter.rewrite(br, importedFuncs + i, paramCounts[i]!, bodyOut);
      w.u32(bodyOut.length);
      w.bytes(bodyOut.view());
      r.pos = bodyEnd;
    }
  } else {
    w.u32(1);
  }
  // (func (param i32) (result i32)
  //   local.get 0  memory.grow 0  local.tee 0  i32.const -1  i32.eq
  //   if  i32.const 1  global.set $grow_failed  end  local.get 0)
  const g = new ByteWriter(32);
  g.bytes(Uint8Array.of(0x00, 0x20, 0x00, 0x40, 0x00, 0x22, 0x00, 0x41, 0x7f, 0x46, 0x04, 0x40, 0x41, 0x01, 0x24));
  g.u32(growFailedGlobal);
  g.bytes(Uint8Array.of(0x0b, 0x20, 0x00, 0x0b));
  w.u32(g.length);
  w.bytes(g.view());
  return w.view();
}
