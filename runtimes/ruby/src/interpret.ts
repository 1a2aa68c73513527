/**
 * Reading a Ruby run: success rule, the uncaught exception parsed from stderr, and
 * Ruby-specific advice for the errors LLM-written Ruby hits most.
 */
import { CommonErrorType, type LanguageError, type RawRun, type RunInterpretation } from "@llm-wasm-sandbox/core";
import { ruby as rubyState } from "@llm-wasm-sandbox/state";

/** An uncaught exception as Ruby prints it: `file:line:in 'where': message (Class)`. */
export interface RubyException {
  /** Class name, possibly namespaced (`Errno::ENOENT`, `JSON::ParserError`). */
  readonly className: string;
  /** The message (all lines of it). */
  readonly message: string;
  /** `file:line` of the innermost frame, when printed. */
  readonly location: string | null;
}

// `path:12:in 'Object#f': msg (Class)` or, for SyntaxError, `path:1: msg (Class)`.
// Matched line by line in two anchored steps (class suffix at the end, then location at the
// start): the one-regex form `^(…*?:\d+…)?(…*?) \(Class\)$` is quadratic per line, and
// stderr is guest-controlled — 1 MB of ":1: " held the host's event loop for over a minute.
const CLASS_SUFFIX = / \(([A-Z][A-Za-z0-9_]*(?:::[A-Z][A-Za-z0-9_]*)*)\)$/;
const LOCATION_PREFIX = /^([^\n]*?:\d+)(?::in '[^'\n]*')?: /;

/**
 * Finds the uncaught exception in stderr (the sandbox prints it in Ruby's own format).
 * Lines after the head up to the first backtrace line belong to a multi-line message.
 * @returns null when stderr holds no exception report.
 */
export function parseRubyException(stderr: string): RubyException | null {
  const head = findHead(stderr);
  if (!head) return null;
  const { location, first, className, end } = head;
  const after = stderr.slice(end + 1).split("\n");
  const more: string[] = [];
  for (const line of after) {
    if (line.startsWith("\tfrom ") || line.startsWith("\t ...") || line.startsWith("[llm-wasm-sandbox]")) break;
    more.push(line);
  }
  while (more.length > 0 && more[more.length - 1] === "") more.pop();
  const message = [first, ...more].join("\n");
  return { className, message, location: location ?? null };
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
 * The Ruby reading of a raw run: success is exit code 0 without a trap; the uncaught
 * exception becomes the language error; the state step's note line moves into `notes`.
 */
export function interpretRubyRun(raw: RawRun, autoPersistGlobals: boolean): RunInterpretation {
  const success = raw.exitCode === 0 && raw.trapReason === null;
  let stderr = raw.stderr;
  let notes: string[] = [];
  if (autoPersistGlobals) {
    ({ stderr, notes } = rubyState.extractStateNotes(raw.stderr));
    if (raw.trapReason !== null) notes.push("$state was not saved: the run was stopped before it finished.");
  }
  const exc = success ? null : parseRubyException(stderr);
  return {
    success,
    languageError: exc ? rubyLanguageError(exc) : null,
    ...(notes.length > 0 ? { notes } : {}),
    ...(stderr !== raw.stderr ? { stderr } : {}),
  };
}

type Kind = (typeof CommonErrorType)[keyof typeof CommonErrorType];

const FRESH_VM =
  "Every execution starts a fresh Ruby VM: local variables, methods and classes from earlier executions are gone. Define them again, keep data in files under /app, or use $state with autoPersistGlobals.";

function adviceFor(exc: RubyException): { guidance: string[]; kind?: Kind } {
  const { className: name, message } = exc;
  switch (name) {
    case "NameError":
      return {
        guidance: [
          "A constant, variable or method name is not defined at that point: check its spelling and that it is defined (or required) before the line that uses it.",
          "Constants and classes start with a capital letter; `require` the library that defines them (e.g. require \"set\", require \"json\").",
          FRESH_VM,
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

function errnoAdvice(exc: RubyException): { guidance: string[]; kind?: Kind } {
  // Errno messages end in " - /the/path" (or "@ rb_sysopen - /the/path").
  const path = / - (\S.*)$/m.exec(exc.message)?.[1] ?? "";
  const outside = path.startsWith("/") && !/^\/app(\/|$)/.test(path) && !/^\/data(\/|$)|^\/external(\/|$)/.test(path);
  if (outside || path.includes("..")) {
    return {
      kind: CommonErrorType.PATH_OUTSIDE_WORKSPACE,
      guidance: [
        `${path} is outside the sandbox's filesystem: only /app (read-write, also the current directory) and the read-only mounts (/data, /external) exist.`,
        "Write and read your files under /app, e.g. File.write(\"/app/out.txt\", data) or File.read(\"input.csv\").",
      ],
    };
  }
  if (exc.className === "Errno::ENOENT") {
    return {
      guidance: [
        `${path || "The file"} does not exist. List what is there with Dir.glob("/app/**/*") and check the name.`,
        "Files persist between executions of the same session only when they are written under /app.",
      ],
    };
  }
  return { guidance: [] };
}

/** The first line of stderr shaped like an exception head, and where it ends. */
function findHead(stderr: string): { location: string | undefined; first: string; className: string; end: number } | null {
  for (let start = 0; start <= stderr.length; ) {
    const nl = stderr.indexOf("\n", start);
    const end = nl === -1 ? stderr.length : nl;
    const line = stderr.slice(start, end);
    // A class suffix has no spaces, so the last " (" of the line is the only candidate.
    const cut = line.lastIndexOf(" (");
    const suffix = cut === -1 ? null : CLASS_SUFFIX.exec(line.slice(cut));
    if (suffix) {
      const body = line.slice(0, cut);
      const loc = LOCATION_PREFIX.exec(body);
      return { location: loc?.[1], first: loc ? body.slice(loc[0].length) : body, className: suffix[1]!, end };
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  return null;
}
