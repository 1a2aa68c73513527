/**
 * `@llm-wasm-sandbox/wasi-host/wasm-binary`: the one WebAssembly binary reader of the
 * project and the fuel meter built on it. Module checks (runtime-wasm's import and limit
 * checks) and the meter read modules with the same cursor and section decoders, so they
 * cannot disagree about what a module contains. Loads neither the thread pool nor zod.
 */

// Reading binaries.
export { ByteReader } from "./byte-reader.js";
export { ByteWriter } from "./byte-writer.js";
export { WasmFormatError } from "./wasm-format-error.js";
export { encodeULEB128, encodeSLEB128, decodeULEB128, decodeSLEB128 } from "./leb128.js";
export { concatBytes } from "./concat-bytes.js";
export {
  SECTION,
  SECTION_ORDER,
  SECTION_NAMES,
  readSections,
  readLimits,
  readImports,
  readExports,
  readTables,
  readMemories,
  readGlobals,
  readDataSegments,
  readStart,
  readCount,
  readTypeParamCounts,
  readTypeSignatures,
  readFunctionTypes,
  skipConstExpr,
  constExprValue,
  type SectionSpan,
  type Limits,
  type ImportEntry,
  type ExportEntry,
  type TableEntry,
  type DataSegment,
  type GlobalEntry,
} from "./module-sections.js";

// The fuel meter.
export {
  instrumentModule,
  METER_VERSION,
  FUEL_EXPORT,
  GROW_FAILED_EXPORT,
  GLOBAL_EXPORT_PREFIX,
  INITIAL_FUEL,
  type InstrumentOptions,
  type InstrumentResult,
  type MeterLimits,
} from "../meter/instrument-module.js";
export { BULK_MEMORY_SHIFT } from "../meter/fuel-code.js";
export type { MeterStats } from "../meter/instrument-function.js";
export { MeterError } from "../meter/meter-error.js";
export { shouldStripCustomSection, type StripOptions } from "../meter/strip.js";
