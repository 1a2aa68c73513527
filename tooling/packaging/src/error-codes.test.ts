/**
 * Every public error of every package has its own marker and its own code: `isInstance`
 * is true only for that class (and its subclasses), and no two classes share a code.
 * Core's own errors are checked in core; this covers the ones defined elsewhere.
 */
import { hasMarker, SandboxError, SandboxExecutionError, StorageError } from "@llm-wasm-sandbox/core";
import { ToolInputError } from "@llm-wasm-sandbox/mcp-server";
import { VendorError } from "@llm-wasm-sandbox/runtime-python";
import { ComponentRejectedError, WasmToolchainMissingError } from "@llm-wasm-sandbox/runtime-wasm";
import { MeterError, ProcExit } from "@llm-wasm-sandbox/wasi-host";
import { WasmFormatError } from "@llm-wasm-sandbox/wasi-host/wasm-binary";
import { describe, expect, it } from "vitest";

const samples = [
  [MeterError, new MeterError("unknown opcode 0xfe", { offset: 12 })],
  [ComponentRejectedError, new ComponentRejectedError("too many core modules")],
  [WasmFormatError, new WasmFormatError("unexpected end of data", 8)],
  [WasmToolchainMissingError, new WasmToolchainMissingError("WebAssembly text (WAT)")],
  [VendorError, new VendorError("numpy has native code")],
  [ToolInputError, new ToolInputError('unknown language "cobol"')],
] as const;
/** Errors of other classes each sample must not be mistaken for. */
const others = [new SandboxExecutionError("worker crashed"), new StorageError("s3", "no such bucket"), ...samples.map(([, e]) => e)];

describe("public errors outside core", () => {
  it.each(samples.map(([cls, error]) => [cls.name, cls, error] as const))("%s has its own marker", (_name, cls, error) => {
    expect(SandboxError.isInstance(error)).toBe(true);
    expect(cls.isInstance(error)).toBe(true);
    for (const other of others) if (other !== error) expect(cls.isInstance(other), other.name).toBe(false);
  });

  it("is never taken for a SandboxExecutionError (ComponentRejectedError.isInstance(anyExecutionError) was true)", () => {
    expect(ComponentRejectedError.isInstance(new SandboxExecutionError("x"))).toBe(false);
    for (const [, error] of samples) expect(SandboxExecutionError.isInstance(error), error.name).toBe(false);
  });

  it("gives each its own code", () => {
    const codes = samples.map(([, error]) => error.code);
    expect(codes).toEqual(["METER_REJECTED", "COMPONENT_REJECTED", "WASM_FORMAT", "TOOLCHAIN_MISSING", "PACKAGE_VENDOR", "TOOL_INPUT"]);
  });

  it("recognizes ProcExit from another copy of wasi-host through the shared hasMarker", () => {
    const foreign = Object.assign(new Error("exit(3)"), { [Symbol.for("llm-wasm-sandbox.ProcExit")]: true, exitCode: 3 });
    expect(ProcExit.isInstance(foreign)).toBe(true);
    expect(ProcExit.isInstance(new Error("exit(3)"))).toBe(false);
    expect(hasMarker(new ProcExit(0), Symbol.for("llm-wasm-sandbox.ProcExit"))).toBe(true);
  });
});
