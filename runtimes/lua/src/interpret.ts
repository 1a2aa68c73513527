/**
 * The Lua reading of a failed run: the bootstrap reports the uncaught error on the
 * control channel (and prints `lua: <message>` with a traceback to stderr for the user,
 * like the standalone `lua` interpreter). The message is classified into a LanguageError
 * with Lua-specific advice for core's errorGuidance.
 */
import type { LanguageError } from "@llm-wasm-sandbox/core";
import { CommonErrorType } from "@llm-wasm-sandbox/core/common-error-type";

/** A Lua error as the bootstrap reported it. */
export interface LuaErrorReport {
  /** The message without the `lua: ` prefix, e.g. `/app/user_code.lua:3: attempt to call a nil value (global 'foo')`. */
  readonly message: string;
  /** Whether a traceback followed (absent for syntax errors, which happen before the code runs). */
  readonly hasTraceback: boolean;
}

const LOCATION = /^(?:[^\n:]*\.lua|\[string "[^"]*"\]):\d+: /;
const SYNTAX = /(unexpected symbol|expected|unfinished (string|long string|long comment)|malformed number|invalid escape|near '<eof>'|unexpected)/;

/** Turns a report into the LanguageError core's errorGuidance uses. */
export function luaLanguageError(report: LuaErrorReport): LanguageError {
  const text = report.message;
  const message = text.replace(LOCATION, "");
  const where = LOCATION.exec(text)?.[0].slice(0, -2);
  const at = where ? ` (at ${where})` : "";
  const nilName = /attempt to (call|index|perform arithmetic on|concatenate) a nil value(?: \((global|local|field|upvalue|method) '([^']+)'\))?/.exec(message);

  if (message === "not enough memory") {
    return {
      name: "NotEnoughMemory",
      message,
      kind: CommonErrorType.MEMORY_LIMIT,
      guidance: [
        "Lua ran out of memory under the sandbox's memory cap.",
        "Build large strings with table.concat instead of repeated '..', and drop references (t[k] = nil) to data you no longer need.",
        "Process data in chunks.",
        { remedy: "raise-memory" },
      ],
    };
  }
  if (/stack overflow/.test(message)) {
    return {
      name: "StackOverflow",
      message,
      kind: CommonErrorType.STACK_OVERFLOW,
      guidance: [
        `Lua raised 'stack overflow'${at}: a function calls itself without reaching a base case, or recursion is too deep.`,
        "Check the recursion's base case; for deep data, rewrite the recursion as a loop with an explicit stack table.",
      ],
    };
  }
  const missing = /module '([^']+)' not found/.exec(message);
  if (missing) {
    return {
      name: "ModuleNotFound",
      message,
      kind: CommonErrorType.MISSING_PACKAGE,
      guidance: [
        `require("${missing[1]}") found no file: only the standard library and Lua files under /app and /data/lua can be required.`,
        `Write the module to /app/${missing[1]!.replaceAll(".", "/")}.lua (returning a table) in an earlier step, or inline the code.`,
        "C modules (luarocks packages with native code) cannot be loaded in the sandbox.",
      ],
    };
  }
  if (!report.hasTraceback && SYNTAX.test(message)) {
    return {
      name: "SyntaxError",
      message,
      kind: CommonErrorType.SYNTAX_ERROR,
      guidance: [
        `The Lua code does not parse${at}: ${message}.`,
        "Check for a missing 'end', 'then' or 'do', unbalanced brackets or quotes; Lua uses ~= for 'not equal' and -- for comments.",
      ],
    };
  }
  if (nilName) {
    const [, op, scope, name] = nilName;
    const what = name ? `${scope} '${name}'` : "a value";
    const advice =
      op === "call"
        ? [
            `Attempted to call ${what}, which is nil${at}.`,
            "Check the spelling (names are case-sensitive) and that the function is defined before this line; local functions must be declared above their use.",
            "For methods use obj:method() (colon), and check that a required module returned the function you expect.",
          ]
        : op === "index"
          ? [
              `Attempted to index ${what}, which is nil${at}.`,
              "A table lookup returned nil before the next '.' or '[': check that the key exists (or guard with `if t and t.x then`).",
              "Remember Lua arrays start at 1 and a missing key is nil, not an error.",
            ]
          : [`An operation used ${what}, which is nil${at}. Check that the variable is set before this line.`];
    return { name: op === "call" ? "AttemptToCallNil" : op === "index" ? "AttemptToIndexNil" : "NilValueError", message, guidance: advice };
  }
  return { name: "LuaError", message };
}

/**
 * Drops trailing newlines. A loop, not `/\n+$/`: that regex is quadratic on a run of
 * newlines followed by other text, and stderr is guest-controlled (host-side ReDoS).
 */
