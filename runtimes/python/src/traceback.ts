/**
 * Turns the exception the bootstrap reported into a `LanguageError` with Python-specific
 * advice for core's `errorGuidance`.
 */
import type { GuidanceStep, LanguageError } from "@llm-wasm-sandbox/core";
import { CommonErrorType } from "@llm-wasm-sandbox/core/common-error-type";

/** The uncaught exception, as the bootstrap reported it on the control channel. */
export interface PythonException {
  /** Class name as printed, e.g. `ValueError` or `json.decoder.JSONDecodeError`. */
  readonly name: string;
  /** First line of the message ('' when the exception had none). */
  readonly message: string;
  /** `line N` of the innermost `/app/...` frame (or of the SyntaxError). */
  readonly line: number | null;
  /** File of that frame. */
  readonly file: string | null;
}

/** The `LanguageError` for a parsed exception: kind and advice by exception class. */
export function pythonLanguageError(exc: PythonException): LanguageError {
  const base = exc.name.split(".").pop() ?? exc.name;
  const at = exc.line !== null ? ` (line ${exc.line}${exc.file && exc.file !== "/app/user_code.py" ? ` of ${exc.file}` : ""})` : "";
  const advice = ADVICE[base]?.(exc, at);
  if (advice) return { name: exc.name, message: exc.message, guidance: advice.guidance, ...(advice.kind ? { kind: advice.kind } : {}) };
  return {
    name: exc.name,
    message: exc.message,
    guidance: [`Python raised ${exc.name}${at}: ${exc.message || "(no message)"}.`, "Read the traceback in stderr, fix the cause and run again."],
  };
}

type Kind = (typeof CommonErrorType)[keyof typeof CommonErrorType];
type Advice = (exc: PythonException, at: string) => { guidance: GuidanceStep[]; kind?: Kind } | undefined;

const quoted = (s: string): string | null => /'([^']+)'/.exec(s)?.[1] ?? null;

function fileAdvice(exc: PythonException, at: string): ReturnType<Advice> {
  const path = quoted(exc.message);
  if (path !== null && path.startsWith("/") && !path.startsWith("/app/") && path !== "/app" && !path.startsWith("/data/")) {
    return {
      kind: CommonErrorType.PATH_OUTSIDE_WORKSPACE,
      guidance: [
        `${JSON.stringify(path)} is outside the sandbox${at}: only /app (read-write) and the read-only mounts under /data exist.`,
        "Read and write files under /app, e.g. open('/app/output.txt', 'w'); relative paths resolve against /app.",
      ],
    };
  }
  if (path !== null && path.split("/").includes("..")) {
    return {
      kind: CommonErrorType.PATH_OUTSIDE_WORKSPACE,
      guidance: [`'..' cannot leave /app${at}.`, "Use paths under /app."],
    };
  }
  return {
    guidance: [
      `Python raised ${exc.name}${at}: ${exc.message}.`,
      "List what exists with os.listdir('/app') (or sandbox_utils.ls()); files written in earlier executions of the same session are still in /app.",
    ],
  };
}

/** Standard-library modules this WASI build of CPython does not have (no OS support). */
const MISSING_STDLIB = new Set(["multiprocessing", "ctypes", "_ctypes", "ssl", "_ssl", "tkinter", "curses", "readline", "venv", "ensurepip", "pip", "idlelib", "mmap", "fcntl", "grp", "pwd", "termios", "resource", "turtle", "lib2to3", "distutils"]);

const ADVICE: Record<string, Advice> = {
  ModuleNotFoundError: (exc) => {
    const mod = quoted(exc.message) ?? "the module";
    const top = mod.split(".")[0] ?? mod;
    if (MISSING_STDLIB.has(top)) {
      return {
        kind: CommonErrorType.MISSING_PACKAGE,
        guidance: [
          `'${mod}' is part of the standard library but not of this WebAssembly build: there are no processes, threads, native libraries, TLS or terminals in the sandbox.`,
          "Do the work sequentially in plain Python; for compression use zlib, gzip, bz2 or zipfile.",
        ],
      };
    }
    return {
      kind: CommonErrorType.MISSING_PACKAGE,
      guidance: [
        `'${mod}' cannot be imported: the sandbox has the Python 3.14 standard library, sandbox_utils and vendored pure-Python packages only.`,
        "Use the standard library if it can do the job (json, csv, re, datetime, collections, statistics, sqlite3 when present …).",
        { remedy: "install-package", name: top },
      ],
    };
  },
  FileNotFoundError: fileAdvice,
  PermissionError: fileAdvice,
  NotADirectoryError: fileAdvice,
  IsADirectoryError: fileAdvice,
  MemoryError: () => ({
    kind: CommonErrorType.MEMORY_LIMIT,
    guidance: [
      "Python ran out of memory under the sandbox's memory cap.",
      "Process data in chunks (read files line by line, use generators) instead of building huge lists, strings or bytearrays.",
      { remedy: "raise-memory" },
    ],
  }),
  RecursionError: (exc, at) => ({
    kind: CommonErrorType.STACK_OVERFLOW,
    guidance: [
      `Recursion went too deep${at}: ${exc.message}.`,
      "Check the base case of the recursive function, or rewrite it as a loop with an explicit stack (a list).",
      "Raising sys.setrecursionlimit does not help much here: the WebAssembly stack is limited as well.",
    ],
  }),
  SyntaxError: syntaxAdvice,
  IndentationError: syntaxAdvice,
  TabError: syntaxAdvice,
  NameError: (exc, at) => ({
    guidance: [
      `Python raised ${exc.name}${at}: ${exc.message}.`,
      "Unless the session is keepAlive and its interpreter still lives, each execution starts a fresh interpreter: define or import the name in this code.",
      { remedy: "persist-state", what: "globals (numbers, strings, lists, dicts, tuples, sets)" },
    ],
  }),
  ValueError: (exc, at) =>
    exc.message.startsWith("sandbox_utils:")
      ? { kind: CommonErrorType.PATH_OUTSIDE_WORKSPACE, guidance: [`Python raised ${exc.name}${at}: ${exc.message}.`, "sandbox_utils only works on paths under /app, without '..'."] }
      : undefined,
  RuntimeError: (exc, at) =>
    /can't start new thread/.test(exc.message)
      ? { guidance: [`Python raised ${exc.name}${at}: ${exc.message}: the sandbox has no threads.`, "Run the work sequentially (a plain loop); concurrency does not make CPU work faster here."] }
      : undefined,
  AttributeError: (exc, at) =>
    /'_socket' has no attribute|module 'os' has no attribute '(system|fork|popen|spawn\w*|exec\w*)'/.test(exc.message)
      ? { guidance: [`Python raised ${exc.name}${at}: ${exc.message}: the sandbox has no network and no processes.`, "Read inputs from files under /app instead of the network, and do the work in this Python process."] }
      : undefined,
  OSError: (exc, at) =>
    /Errno (58|52|76|63)\b|not supported|Function not implemented/i.test(exc.message)
      ? {
          guidance: [
            `Python raised ${exc.name}${at}: ${exc.message}.`,
            "The sandbox has no network, no subprocesses and no threads; do the work in this Python process with files under /app.",
          ],
        }
      : undefined,
};

function syntaxAdvice(exc: PythonException): ReturnType<Advice> {
  const where = exc.line !== null ? `line ${exc.line}` : "the line shown in stderr";
  return {
    kind: CommonErrorType.SYNTAX_ERROR,
    guidance: [`Python raised ${exc.name} at ${where}: ${exc.message || "invalid syntax"}.`, "Fix the code at that line (the caret in stderr points at the spot) and run it again."],
  };
}
