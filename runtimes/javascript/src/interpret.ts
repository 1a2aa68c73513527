/**
 * The JavaScript reading of a raw run: the uncaught error the driver reported on the
 * control channel becomes the language error, with advice specific to QuickJS in the
 * sandbox; the `_state` facts become notes.
 */
import type { LanguageError, RawRun, RunInterpretation } from "@llm-wasm-sandbox/core";
import { CommonErrorType } from "@llm-wasm-sandbox/core/common-error-type";
import { lastFact, stateNotes } from "@llm-wasm-sandbox/core/guest-facts";

const MISSING_GLOBALS = /^'?(require|process|fetch|module|exports|Buffer|__dirname|__filename|Deno|Bun|XMLHttpRequest)'? is not defined/;

/** Turns a parsed error into a LanguageError with advice for the sandbox's JavaScript. */
export function javascriptLanguageError(error: { name: string; message: string }): LanguageError {
  const { name, message } = error;
  const base = { name, message };
  if ((name === "RangeError" && /call stack/i.test(message)) || (name === "InternalError" && /stack overflow/i.test(message))) {
    return { ...base, kind: CommonErrorType.STACK_OVERFLOW, guidance: ["Recursion went too deep (the QuickJS stack limit was hit).", "Check the base case, or rewrite the recursion as a loop with an explicit stack array."] };
  }
  if (name === "InternalError" && /out of memory/i.test(message)) {
    return { ...base, kind: CommonErrorType.MEMORY_LIMIT, guidance: ["The program ran out of its memory cap.", "Process data in chunks and drop references to large arrays you no longer need.", { remedy: "raise-memory" }] };
  }
  if (name === "SyntaxError") {
    return { ...base, kind: CommonErrorType.SYNTAX_ERROR, guidance: ["The code does not parse; the stack line after the message gives /app/user_code.js:LINE:COLUMN.", "The sandbox runs modern JavaScript (ES2023, QuickJS-NG) but not TypeScript or JSX: remove type annotations."] };
  }
  if (/Cannot find module/.test(message)) {
    return { ...base, kind: CommonErrorType.MISSING_PACKAGE, guidance: ["Only files under /app and the vendored utilities in /data_js can be imported; npm packages and Node built-ins (fs, path, ...) do not exist here.", "Use the built-in helpers (readText, writeText, readJson, writeJson, listFiles, ...) and requireVendor(\"csv\") for CSV."] };
  }
  if (/^(ENOENT|EACCES|EROFS)\b/.test(message)) {
    const outside = /'(\/(?!app\b)[^']*)'/.test(message) && !/'\/data_js/.test(message);
    return {
      ...base,
      // An explicit kind also for /app paths: core's generic path-escape pattern would
      // otherwise read '/app/data.csv' as a path outside the workspace.
      kind: outside ? CommonErrorType.PATH_OUTSIDE_WORKSPACE : CommonErrorType.RUNTIME_ERROR,
      guidance: outside
        ? ["Only /app (read-write) and the read-only mounts exist in the sandbox; host paths such as /etc are not there.", "Write and read your files under /app, e.g. writeText(\"/app/out.txt\", text)."]
        : ["The file does not exist (yet). Check the path with listFiles(\"/app\") or fileExists(path) before reading.", "Files written under /app persist between executions of the same session."],
    };
  }
  if (name === "ReferenceError") {
    const missing = MISSING_GLOBALS.exec(message);
    return {
      ...base,
      guidance: missing
        ? [`\`${missing[1]}\` does not exist in the sandbox: there is no Node.js or browser host, only QuickJS.`, "Use the sandbox globals instead: console, readText, writeText, readJson, writeJson, fileExists, listFiles, copyFile, removeFile, requireVendor, env, scriptArgs, crypto, setTimeout."]
        : ["A name is used but never defined: check its spelling and that it is declared before use (let/const are not hoisted).", "Unless the session is keepAlive and its context still lives, each execution starts fresh; values from earlier executions survive only in files under /app or in _state.", { remedy: "persist-state", what: "_state" }],
    };
  }
  if (name === "TypeError" && /(undefined|null)/.test(message)) {
    return { ...base, guidance: ["A value was undefined or null where an object was expected: check what the expression before the property access returns.", "Optional chaining (obj?.prop) and defaults (value ?? fallback) guard missing data."] };
  }
  return base;
}

/** The plugin's `interpret`. */
export function interpretJavaScriptRun(raw: RawRun, autoPersistGlobals: boolean): RunInterpretation {
  const error = lastFact(raw.facts, "error");
  const notes = autoPersistGlobals ? stateNotes(raw.facts, "_state", raw) : [];
  return {
    languageError: error ? javascriptLanguageError(error) : null,
    ...(notes.length > 0 ? { notes } : {}),
  };
}
