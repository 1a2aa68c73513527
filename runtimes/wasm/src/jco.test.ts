import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_MODULE_LIMITS } from "./module-check.js";

afterEach(() => {
  vi.doUnmock("@bytecodealliance/jco-transpile/wasm-tools");
  vi.resetModules();
});

describe("without the optional @bytecodealliance/jco-transpile", () => {
  it("WAT fails with WasmToolchainMissingError naming the package to install", async () => {
    vi.resetModules();
    vi.doMock("@bytecodealliance/jco-transpile/wasm-tools", () => {
      throw Object.assign(new Error("Cannot find package '@bytecodealliance/jco-transpile'"), { code: "ERR_MODULE_NOT_FOUND" });
    });
    const { decodeSource } = await import("./source.js");
    const { WasmToolchainMissingError } = await import("./jco.js");
    const error = await decodeSource('(module (func (export "_start")))', DEFAULT_MODULE_LIMITS).catch((e: unknown) => e);
    expect(WasmToolchainMissingError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("npm install @bytecodealliance/jco-transpile");
    expect((error as { code: string }).code).toBe("TOOLCHAIN_MISSING");
  });

  it("base64 core modules still decode", async () => {
    vi.resetModules();
    vi.doMock("@bytecodealliance/jco-transpile/wasm-tools", () => {
      throw Object.assign(new Error("Cannot find package"), { code: "ERR_MODULE_NOT_FOUND" });
    });
    const { decodeSource } = await import("./source.js");
    const b64 = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]).toString("base64");
    expect(await decodeSource(b64, DEFAULT_MODULE_LIMITS)).toMatchObject({ kind: "module", from: "base64" });
  });
});
