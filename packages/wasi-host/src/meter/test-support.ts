/**
 * Helpers for the meter's tests: assemble WAT with jco, instrument, instantiate with a
 * host-created memory, and read the fuel back. Not exported from the package.
 */
import { parse } from "@bytecodealliance/jco";
import { instrumentModule, type InstrumentOptions, type InstrumentResult } from "./instrument-module.js";
import { encodeULEB128 } from "../wasm-binary/leb128.js";

/** A metered instance under test. */
export interface MeteredInstance {
  readonly result: InstrumentResult;
  readonly instance: WebAssembly.Instance;
  readonly memory: WebAssembly.Memory;
  /** Calls export `name` with a fresh fuel budget; returns its result and the fuel used. */
  call(name: string, args?: readonly unknown[], budget?: bigint): { value: unknown; used: bigint };
  /** The fuel global's current value. */
  fuel(): bigint;
  /** The grow-failed flag. */
  growFailed(): number;
}

/** Assembles WAT text into a binary module. */
export async function wat(text: string): Promise<Uint8Array> {
  return parse(text);
}

/** Assembles, instruments and instantiates `text`. */
export async function meterWat(
  text: string,
  options: InstrumentOptions & { maxPages?: number; imports?: WebAssembly.Imports } = {},
): Promise<MeteredInstance> {
  return meterBytes(await wat(text), options);
}

/** Instruments and instantiates module bytes. */
export async function meterBytes(
  bytes: Uint8Array,
  options: InstrumentOptions & { maxPages?: number; imports?: WebAssembly.Imports } = {},
): Promise<MeteredInstance> {
  const result = instrumentModule(bytes, options);
  if (!WebAssembly.validate(result.bytes)) throw new Error("instrumented module does not validate");
  const memory = new WebAssembly.Memory({
    initial: result.memory.initialPages,
    // The host's cap must sit under the module's own declared maximum, if any.
    maximum: Math.min(options.maxPages ?? Math.max(result.memory.initialPages, 16), result.memory.maximumPages ?? Infinity),
  });
  const imports: WebAssembly.Imports = { ...options.imports };
  imports[result.memory.module] = { ...imports[result.memory.module], [result.memory.name]: memory };
  const { instance } = await WebAssembly.instantiate(result.bytes, imports);
  const fuelGlobal = instance.exports[result.fuelExport] as WebAssembly.Global;
  const growGlobal = instance.exports[result.growFailedExport] as WebAssembly.Global;
  return {
    result,
    instance,
    memory,
    call(name, args = [], budget = 1_000_000n) {
      fuelGlobal.value = budget;
      const fn = instance.exports[name] as (...a: unknown[]) => unknown;
      const value = fn(...args);
      return { value, used: budget - (fuelGlobal.value as bigint) };
    },
    fuel: () => fuelGlobal.value as bigint,
    growFailed: () => growGlobal.value as number,
  };
}

/** Appends a custom section called `name` with `size` payload bytes to a module. */
export function withCustomSection(bytes: Uint8Array, name: string, size: number): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const payload = [...uleb(nameBytes.length), ...nameBytes, ...new Array<number>(size).fill(0xab)];
  return Uint8Array.from([...bytes, 0, ...uleb(payload.length), ...payload]);
}

/** Unsigned LEB128 as a plain array, for building test modules. */
function uleb(n: number): number[] {
  return [...encodeULEB128(n)];
}
