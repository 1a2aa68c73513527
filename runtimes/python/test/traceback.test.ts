import { CommonErrorType } from "@llm-wasm-sandbox/core";
import { describe, expect, it } from "vitest";
import { parsePythonException, pythonLanguageError } from "../src/traceback.js";

// Tracebacks as this CPython build prints them (captured from real runs).
const tb = (frames: string, last: string): string => `Traceback (most recent call last):\n${frames}\n${last}\n`;
const userFrame = (line: number, code = "x") => `  File "/app/user_code.py", line ${line}, in <module>\n    ${code}`;

describe("parsePythonException", () => {
  it("reads a plain exception with its message and user line", () => {
    expect(parsePythonException(tb(userFrame(1, 'raise ValueError("boom-py")'), "ValueError: boom-py"))).toEqual({
      name: "ValueError",
      message: "boom-py",
      line: 1,
      file: "/app/user_code.py",
    });
  });

  it("reads a dotted exception raised inside the standard library, keeping the user's line", () => {
    const frames = `${userFrame(3, 'json.loads("{")')}\n  File "/wlr/build-staging/python/v3.12.0-aio/checkout/Lib/json/decoder.py", line 353, in raw_decode`;
    const exc = parsePythonException(tb(frames, "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"));
    expect(exc?.name).toBe("json.decoder.JSONDecodeError");
    expect(exc?.line).toBe(3);
  });

  it("reads a user-defined exception class not named like an error", () => {
    expect(parsePythonException(tb(userFrame(2), "Boom: bad thing"))?.name).toBe("Boom");
  });

  it("reads a SyntaxError report, which has no Traceback header", () => {
    const exc = parsePythonException('  File "/app/user_code.py", line 4\n    def f(:\n          ^\nSyntaxError: invalid syntax\n');
    expect(exc).toMatchObject({ name: "SyntaxError", message: "invalid syntax", line: 4 });
  });

  it("takes the last exception of a chain", () => {
    const text = `${tb(userFrame(2), "KeyError: 'k'")}\nDuring handling of the above exception, another exception occurred:\n\n${tb(userFrame(4), "RuntimeError: during")}`;
    expect(parsePythonException(text)?.name).toBe("RuntimeError");
  });

  it("returns null for stderr without a traceback", () => {
    expect(parsePythonException("just a warning\n")).toBeNull();
  });
});

describe("pythonLanguageError advice", () => {
  const advise = (name: string, message: string, line = 1) => pythonLanguageError({ name, message, line, file: "/app/user_code.py" });

  it("maps ModuleNotFoundError to MissingPackage and names the vendor command", () => {
    const e = advise("ModuleNotFoundError", "No module named 'requests.adapters'");
    expect(e.kind).toBe(CommonErrorType.MISSING_PACKAGE);
    expect(e.guidance?.join(" ")).toContain("vendor add requests");
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
    expect(advise("NameError", "name 'counter' is not defined").guidance?.join(" ")).toContain("autoPersistGlobals");
  });
});
