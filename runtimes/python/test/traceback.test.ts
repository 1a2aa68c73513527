import { CommonErrorType, renderGuidance } from "@llm-wasm-sandbox/core";
import { describe, expect, it } from "vitest";
import { pythonLanguageError } from "../src/traceback.js";

describe("pythonLanguageError advice", () => {
  const advise = (name: string, message: string, line = 1) => pythonLanguageError({ name, message, line, file: "/app/user_code.py" });

  it("maps ModuleNotFoundError to MissingPackage and names the vendor command", () => {
    const e = advise("ModuleNotFoundError", "No module named 'requests.adapters'");
    expect(e.kind).toBe(CommonErrorType.MISSING_PACKAGE);
    expect(renderGuidance(e.guidance ?? [], { channel: "cli" }).join(" ")).toContain("vendor add requests");
    expect(renderGuidance(e.guidance ?? [], { channel: "mcp", canInstallPackages: true }).join(" ")).toContain('install_package with package "requests"');
  });

  it("maps FileNotFoundError outside /app to PathOutsideWorkspace", () => {
    const e = advise("FileNotFoundError", "[Errno 44] No such file or directory: '/etc/passwd'");
    expect(e.kind).toBe(CommonErrorType.PATH_OUTSIDE_WORKSPACE);
    expect(e.guidance?.[0]).toContain("/etc/passwd");
  });

  it("does not call a missing /app file a path escape", () => {
    const e = advise("FileNotFoundError", "[Errno 44] No such file or directory: '/app/missing.csv'");
    expect(e.kind).toBeUndefined();
    expect(e.guidance?.join(" ")).toContain("os.listdir('/app')");
  });

  it("maps MemoryError and RecursionError to the common kinds", () => {
    expect(advise("MemoryError", "").kind).toBe(CommonErrorType.MEMORY_LIMIT);
    expect(advise("RecursionError", "maximum recursion depth exceeded").kind).toBe(CommonErrorType.STACK_OVERFLOW);
  });

  it("names the line of a SyntaxError", () => {
    const e = advise("SyntaxError", "invalid syntax", 7);
    expect(e.kind).toBe(CommonErrorType.SYNTAX_ERROR);
    expect(e.guidance?.[0]).toContain("line 7");
  });

  it("explains that processes and sockets are unavailable", () => {
    expect(advise("OSError", "[Errno 58] wasi does not support processes.").guidance?.join(" ")).toContain("no subprocesses");
  });

  it("does not suggest vendoring a stdlib module the WASI build lacks", () => {
    const e = advise("ModuleNotFoundError", "No module named 'multiprocessing'");
    expect(e.kind).toBe(CommonErrorType.MISSING_PACKAGE);
    expect(e.guidance?.join(" ")).not.toContain("vendor add");
    expect(e.guidance?.join(" ")).toContain("standard library");
  });

  it("explains missing threads and network functions", () => {
    expect(advise("RuntimeError", "can't start new thread").guidance?.join(" ")).toContain("no threads");
    expect(advise("AttributeError", "module '_socket' has no attribute 'getaddrinfo'").guidance?.join(" ")).toContain("no network");
    expect(advise("AttributeError", "module 'os' has no attribute 'system'").guidance?.join(" ")).toContain("no processes");
    expect(advise("AttributeError", "'NoneType' object has no attribute 'x'").guidance?.join(" ")).not.toContain("network");
  });

  it("points a NameError at autoPersistGlobals", () => {
    const nameError = advise("NameError", "name 'counter' is not defined").guidance ?? [];
    expect(renderGuidance(nameError, { channel: "api" }).join(" ")).toContain("autoPersistGlobals");
    expect(renderGuidance(nameError, { channel: "mcp", autoPersistGlobals: true }).join(" ")).not.toContain("create_session");
  });
});
