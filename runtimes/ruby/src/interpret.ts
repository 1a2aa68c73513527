/**
 * Reading a Ruby run: the uncaught exception the bootstrap reported on the control
 * channel, with Ruby-specific advice for the errors LLM-written Ruby hits most.
 */
import type { GuidanceStep, LanguageError, RawRun, RunInterpretation } from "@llm-wasm-sandbox/core";
import { CommonErrorType } from "@llm-wasm-sandbox/core/common-error-type";
import { lastFact, stateNotes } from "@llm-wasm-sandbox/core/guest-facts";

/** An uncaught exception as the bootstrap reported it. */
export interface RubyException {
  /** Class name, possibly namespaced (`Errno::ENOENT`, `JSON::ParserError`). */
  readonly className: string;
  /** The message (all lines of it). */
  readonly message: string;
  /** `file:line` of the innermost frame, when printed. */
  readonly location: string | null;
}

/** Turns a parsed exception into core's LanguageError with Ruby advice. */
export function rubyLanguageError(exc: RubyException): LanguageError {
  const advice = adviceFor(exc);
  return {
    name: exc.className,
    message: exc.message,
    ...(advice.guidance.length > 0 ? { guidance: advice.guidance } : {}),
    ...(advice.kind ? { kind: advice.kind } : {}),
  };
}

/**
 * What an `unreachable` (or other engine) trap most often means in CRuby on WebAssembly.
 * Its `setjmp` (exceptions, `ensure`, Hash iteration) copies the WebAssembly locals of
 * every frame on the call stack aside, and recursion that goes through blocks re-enters
 * the VM at each level, so that copy grows with the depth. The stack-layout rewrite
 * (src/stack-layout/) gives the copies room but keeps only the last few large ones: a
 * longjmp (an exception, `return` or `break` unwinding through an `ensure` or a Hash
 * iteration) back into an older large copy traps. Runaway recursion itself raises a
 * catchable SystemStackError (~1,700 levels through blocks, ~10,000 plain).
 */
export const DEEP_BLOCK_RECURSION_NOTE =
  "CRuby on WebAssembly stops with an uncatchable trap when an exception, return or break unwinds through many ensure or Hash-iteration frames taken deep (more than ~60 levels) in recursion through blocks (a method calling itself inside map/each/a Hash default proc): if this program recurses like that, use plain method recursion (about 10,000 levels) or an explicit stack.";

/** The Ruby reading of a raw run: the `error` fact becomes the language error, `state` facts become notes. */
export function interpretRubyRun(raw: RawRun, autoPersistGlobals: boolean): RunInterpretation {
  const error = lastFact(raw.facts, "error");
  const notes: string[] = autoPersistGlobals ? stateNotes(raw.facts, "$state", raw) : [];
  if (raw.trapReason === "unreachable" || raw.trapReason === "trap") notes.push(DEEP_BLOCK_RECURSION_NOTE);
  const location = error?.file !== undefined && error.line !== undefined ? `${error.file}:${error.line}` : null;
  return {
    languageError: error ? rubyLanguageError({ className: error.name, message: error.message, location }) : null,
    ...(notes.length > 0 ? { notes } : {}),
  };
}

type Kind = (typeof CommonErrorType)[keyof typeof CommonErrorType];

const FRESH_VM =
  "Unless the session is keepAlive and its VM still lives, every execution starts a fresh Ruby VM: local variables, methods and classes from earlier executions are gone. Define them again or keep data in files under /app.";

function adviceFor(exc: RubyException): { guidance: GuidanceStep[]; kind?: Kind } {
  const { className: name, message } = exc;
  switch (name) {
    case "NameError":
      return {
        guidance: [
          "A constant, variable or method name is not defined at that point: check its spelling and that it is defined (or required) before the line that uses it.",
          "Constants and classes start with a capital letter; `require` the library that defines them (e.g. require \"set\", require \"json\").",
          FRESH_VM,
          { remedy: "persist-state", what: "values in $state" },
        ],
      };
    case "NoMethodError":
      return {
        guidance: /for nil\b/.test(message)
          ? [
              "A method was called on nil: a variable, hash lookup or method returned nil where you expected an object.",
              "Check where the value comes from; use `&.` (safe navigation), `fetch` with a default, or guard with `if value`.",
            ]
          : [
              "The object has no method of that name: check the spelling and the receiver's class (`p obj.class`).",
              "Some methods need a `require` first (e.g. require \"json\" for to_json, require \"time\" for Time.parse).",
            ],
      };
    case "LoadError":
      return {
        kind: CommonErrorType.MISSING_PACKAGE,
        guidance: [
          "Only Ruby's standard library (and its default/bundled gems) is available: there is no `gem install`, no Bundler and no network.",
          "Native-extension gems (nokogiri, pg, …) cannot run; use the standard library instead (json, csv, set, time, date, digest, strscan, erb, …).",
          "`require \"js\"` is refused on purpose: Ruby cannot reach host JavaScript.",
        ],
      };
    case "SystemStackError":
      return {
        kind: CommonErrorType.STACK_OVERFLOW,
        guidance: [
          "The recursion went too deep (stack level too deep): check the base case of the recursive method.",
          "Rewrite deep recursion as a loop (`while`/`until`) with an explicit Array as the stack.",
        ],
      };
    case "SyntaxError":
      return {
        kind: CommonErrorType.SYNTAX_ERROR,
        guidance: [
          "The code does not parse: look at the line and caret the message shows.",
          "Common causes: a missing `end` for def/do/if/class, unbalanced brackets or quotes, and Python-style `:` after `def f(x)`.",
        ],
      };
    case "NoMemoryError":
      return { kind: CommonErrorType.MEMORY_LIMIT, guidance: [] };
    case "NotImplementedError":
      return /subprocess/.test(message)
        ? {
            guidance: [
              "There are no processes in the sandbox: system, backticks, spawn, IO.popen and fork are refused.",
              "Do the work in Ruby itself (e.g. Dir.glob instead of `ls`, File.read instead of `cat`).",
            ],
          }
        : { guidance: [] };
    default:
      return name.startsWith("Errno::") ? errnoAdvice(exc) : { guidance: [] };
  }
}

function errnoAdvice(exc: RubyException): { guidance: GuidanceStep[]; kind?: Kind } {
  // Errno messages end in " - /the/path" (or "@ rb_sysopen - /the/path").
  const path = / - (\S.*)$/m.exec(exc.message)?.[1] ?? "";
  const outside = path.startsWith("/") && !/^\/app(\/|$)/.test(path) && !/^\/data(\/|$)|^\/external(\/|$)/.test(path);
  if (outside || path.includes("..")) {
    return {
      kind: CommonErrorType.PATH_OUTSIDE_WORKSPACE,
      guidance: [
        `${JSON.stringify(path)} is outside the sandbox's filesystem: only /app (read-write, also the current directory) and the read-only mounts (/data, /external) exist.`,
        "Write and read your files under /app, e.g. File.write(\"/app/out.txt\", data) or File.read(\"input.csv\").",
      ],
    };
  }
  if (exc.className === "Errno::ENOENT") {
    return {
      guidance: [
        `${path ? JSON.stringify(path) : "The file"} does not exist. List what is there with Dir.glob("/app/**/*") and check the name.`,
        "Files persist between executions of the same session only when they are written under /app.",
      ],
    };
  }
  return { guidance: [] };
}
