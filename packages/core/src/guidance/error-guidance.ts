import { formatCount } from "../format-count.js";
import type { TrapReason } from "../result.js";
import { CommonErrorType } from "./common-error-type.js";
import type { ErrorGuidance } from "./error-guidance-schema.js";
import { exhaustedSuggestion } from "./fuel-analysis.js";
import { type GuidanceReader, type GuidanceStep, renderGuidance } from "./remedy.js";

const DOCS = "llm-wasm-sandbox README.md#";

/** What a runtime found in a failed run's output. */
export interface LanguageError {
  /** The language's error class, e.g. `ValueError`, `ReferenceError`. */
  readonly name: string;
  readonly message: string;
  /**
   * Language-specific advice; replaces the generic advice for the matching kind. Steps that
   * depend on the reader's channel (raise a limit, install a package, persist state) are
   * remedies, so each reader is told only what it can do.
   */
  readonly guidance?: readonly GuidanceStep[];
  /** Which common kind this is, when it is one (e.g. Python's ModuleNotFoundError → MissingPackage). */
  readonly kind?: (typeof CommonErrorType)[keyof typeof CommonErrorType];
}

/** Input to `errorGuidance`: the facts of a failed run. */
export interface FailureFacts {
  readonly trapReason: TrapReason | null;
  readonly trapMessage?: string | null;
  readonly stderr: string;
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  readonly fuelBudget: number;
  readonly memoryBytes: number;
  readonly timeoutMs: number;
  readonly languageError?: LanguageError | null;
  /** Who reads `actionableGuidance` (default: a library user, channel "api"). */
  readonly reader?: GuidanceReader;
}

const GENERIC: Record<string, { advice: (f: FailureFacts) => GuidanceStep[]; doc: string }> = {
  [CommonErrorType.OUT_OF_FUEL]: {
    advice: (f) => [
      `The program executed more than its fuel budget of ${formatCount(f.fuelBudget)} WebAssembly instructions.`,
      "Look for an infinite loop or unbounded recursion first.",
      { remedy: "raise-fuel", suggested: exhaustedSuggestion(f.fuelBudget) },
    ],
    doc: "fuel-budgeting",
  },
  [CommonErrorType.MEMORY_LIMIT]: {
    advice: (f) => [
      `The program needed more than its memory cap of ${Math.round(f.memoryBytes / 1048576)} MiB.`,
      "Stream or chunk large data instead of loading it all at once; free large objects you no longer need.",
      { remedy: "raise-memory", currentBytes: f.memoryBytes },
    ],
    doc: "limits",
  },
  [CommonErrorType.TIMEOUT]: {
    advice: (f) => [
      `The program ran longer than the wall-clock limit of ${f.timeoutMs} ms.`,
      "Check for loops waiting on something that never happens (sleep, polling).",
      "Split long jobs across several executions, keeping intermediate results in /app files.",
      { remedy: "raise-timeout", currentMs: f.timeoutMs },
    ],
    doc: "limits",
  },
  [CommonErrorType.STACK_OVERFLOW]: {
    advice: () => [
      "The call stack overflowed: recursion is too deep or unbounded.",
      "Check the recursion's base case, or rewrite it as a loop with an explicit stack.",
    ],
    doc: "limits",
  },
  [CommonErrorType.PATH_OUTSIDE_WORKSPACE]: {
    advice: () => [
      "Only /app (read-write) and the read-only mounts (/data, /external) exist inside the sandbox.",
      "Use paths under /app, e.g. /app/output.csv; '..' cannot leave the workspace.",
    ],
    doc: "security-model",
  },
  [CommonErrorType.MISSING_PACKAGE]: {
    advice: () => [
      "The module is not available in the sandbox; only the standard library and vendored packages are.",
      "Use the standard library instead.",
    ],
    doc: "vendored-packages",
  },
  [CommonErrorType.SYNTAX_ERROR]: {
    advice: () => ["The code does not parse. Fix the syntax at the line the error names and run it again."],
    doc: "troubleshooting",
  },
  [CommonErrorType.OUTPUT_TRUNCATED]: {
    advice: () => [
      "Output went past the cap and was cut; the program itself may have succeeded.",
      "Print summaries instead of whole data sets, or write large results to a file in /app and read it back.",
    ],
    doc: "limits",
  },
  [CommonErrorType.RUNTIME_ERROR]: {
    advice: () => ["The program raised an error. Read the message and traceback in stderr and fix the cause."],
    doc: "troubleshooting",
  },
};

const TRAP_KINDS: Partial<Record<TrapReason, string>> = {
  out_of_fuel: CommonErrorType.OUT_OF_FUEL,
  memory_limit: CommonErrorType.MEMORY_LIMIT,
  timeout: CommonErrorType.TIMEOUT,
  stack_overflow: CommonErrorType.STACK_OVERFLOW,
};

// Two linear scans instead of one `keyword[^\n]*?'path'` regex: that one is quadratic on
// guest-controlled stderr (many keywords before an unterminated quote took minutes of the
// host's event loop on 1 MB), so each search below resumes where the previous one ended.
const FS_ERROR_WORD = /No such file or directory|ENOENT|Permission denied|EACCES|ENOTCAPABLE|not permitted/g;
const QUOTED_PATH_OR_EOL = /['"]([^'"\n]+)['"]|\n/g;
const GUEST_ROOTS = ["/app", "/data", "/external", "/tmp"];

/** The first quoted path after each file-system error word on its line, in linear time. */
function* fsErrorPaths(stderr: string): Generator<string> {
  const word = new RegExp(FS_ERROR_WORD);
  const quoted = new RegExp(QUOTED_PATH_OR_EOL);
  for (let w = word.exec(stderr); w !== null; w = word.exec(stderr)) {
    quoted.lastIndex = word.lastIndex;
    const q = quoted.exec(stderr);
    if (q === null) return;
    if (q[1] !== undefined) yield q[1];
    word.lastIndex = quoted.lastIndex;
  }
}

/** True when a file-system error in stderr names a path outside the sandbox's tree. */
function namesPathOutsideWorkspace(stderr: string): boolean {
  for (const path of fsErrorPaths(stderr)) {
    if (path.split("/").includes("..")) return true;
    if (path.startsWith("/") && !GUEST_ROOTS.some((r) => path === r || path.startsWith(`${r}/`))) return true;
  }
  return false;
}

/**
 * Classifies a failed run and says what to do about it. A trap wins over the
 * language's own error; then the language error; then generic patterns in stderr.
 */
export function errorGuidance(facts: FailureFacts): ErrorGuidance {
  const lang = facts.languageError ?? null;
  const trapKind = facts.trapReason ? TRAP_KINDS[facts.trapReason] : undefined;
  const kind =
    trapKind ??
    lang?.kind ??
    (namesPathOutsideWorkspace(facts.stderr) ? CommonErrorType.PATH_OUTSIDE_WORKSPACE : undefined) ??
    (lang ? undefined : facts.stdoutTruncated || facts.stderrTruncated ? CommonErrorType.OUTPUT_TRUNCATED : undefined);
  const errorType = clip(kind ?? lang?.name ?? (facts.trapReason ? "Trap" : CommonErrorType.RUNTIME_ERROR), MAX_TYPE_CHARS);
  const generic = GENERIC[kind ?? CommonErrorType.RUNTIME_ERROR]!;
  const advice: GuidanceStep[] = !trapKind && lang?.guidance?.length ? [...lang.guidance] : generic.advice(facts);
  if (facts.trapReason && !trapKind && facts.trapMessage) advice.unshift(`The WebAssembly guest trapped: ${facts.trapMessage}.`);
  if (kind !== CommonErrorType.OUTPUT_TRUNCATED && (facts.stdoutTruncated || facts.stderrTruncated)) {
    advice.push("Part of the output was cut at the output cap; the real error may be in the part that was dropped.");
  }
  return {
    errorType,
    errorMessage: lang ? clip(`${lang.name}: ${lang.message}`, MAX_MESSAGE_CHARS) : (facts.trapMessage ?? null),
    actionableGuidance: renderGuidance(advice, facts.reader ?? { channel: "api" }),
    steps: advice,
    relatedDocs: [DOCS + generic.doc],
  };
}

// The guest writes the text these come from: keep what reaches an LLM's context small.
const MAX_TYPE_CHARS = 120;
const MAX_MESSAGE_CHARS = 2000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
