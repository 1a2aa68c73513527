import { describe, expect, it } from "vitest";
import {
  FileNotFoundError,
  hasMarker,
  HostFileError,
  InvalidPathError,
  InvalidSessionIdError,
  PolicyValidationError,
  RuntimeNotInstalledError,
  SandboxError,
  SandboxExecutionError,
  SessionExistsError,
  SessionNotFoundError,
  StorageConflictError,
  StorageError,
  StorageQuotaError,
} from "./index.js";

/** One instance of every error class core exports, next to its class. */
const samples = [
  [PolicyValidationError, new PolicyValidationError([{ path: "policy.fuelBudget", message: "too small" }])],
  [SandboxExecutionError, new SandboxExecutionError("worker crashed")],
  [SessionNotFoundError, new SessionNotFoundError("s1")],
  [SessionExistsError, new SessionExistsError("s1")],
  [RuntimeNotInstalledError, new RuntimeNotInstalledError("ruby", "@llm-wasm-sandbox/runtime-ruby", ["python"])],
  [InvalidSessionIdError, new InvalidSessionIdError("../x", "no '..'")],
  [InvalidPathError, new InvalidPathError("/etc", "absolute")],
  [FileNotFoundError, new FileNotFoundError("s1", "a.txt")],
  [StorageConflictError, new StorageConflictError("s1", "version 3 != 2")],
  [StorageQuotaError, new StorageQuotaError(10, 20)],
  [StorageError, new StorageError("disk", "EIO")],
  [HostFileError, new HostFileError("/dev/zero", "not-regular", "not a regular file")],
] as const;

describe("error markers and codes", () => {
  it.each(samples.map(([cls, error]) => [cls.name, cls, error] as const))("%s.isInstance is true for its own errors only", (_name, cls, error) => {
    expect(cls.isInstance(error)).toBe(true);
    expect(SandboxError.isInstance(error)).toBe(true);
    for (const [, other] of samples) if (other !== error) expect(cls.isInstance(other), other.name).toBe(false);
    expect(cls.isInstance(new Error(error.message))).toBe(false);
  });

  it("gives every error class its own stable code", () => {
    const codes = samples.map(([, error]) => error.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("recognizes an error created by another copy of the package (same Symbol.for marker, other class)", () => {
    const foreign = Object.assign(new Error("from another copy"), { [Symbol.for("llm-wasm-sandbox.error")]: true, [Symbol.for("llm-wasm-sandbox.StorageError")]: true });
    expect(StorageError.isInstance(foreign)).toBe(true);
    expect(SandboxError.isInstance(foreign)).toBe(true);
    expect(StorageQuotaError.isInstance(foreign)).toBe(false);
  });

  it("hasMarker refuses primitives and null", () => {
    const marker = Symbol.for("llm-wasm-sandbox.error");
    for (const value of [null, undefined, 0, "llm-wasm-sandbox.error", Symbol.for("x")]) expect(hasMarker(value, marker)).toBe(false);
    expect(hasMarker({ [marker]: true }, marker)).toBe(true);
  });
});
