/** One line per built-in language: what the model can rely on inside the sandbox. */
const LANGUAGE_NOTES: Readonly<Record<string, string>> = {
  python: "python: CPython 3.14 with its standard library (no pip installs); `import sandbox_utils` for file helpers",
  javascript:
    "javascript: QuickJS-NG (ES2023, top-level await); no Node.js APIs (no require, process, fetch); readText/writeText/readJson/writeJson/listFiles globals for files",
  ruby: "ruby: CRuby 3.4 with its standard library (no gems)",
  lua: "lua: Lua 5.4 (safe standard libraries)",
};

/** How each language keeps values between calls when globals persist. */
const STATE_NOTES: Readonly<Record<string, string>> = {
  python: "python globals that are plain data",
  javascript: "javascript `_state`",
  ruby: "ruby `$state`",
  lua: "lua `_state`",
};

/** What `describeCodeExecution` needs to know. */
export interface CodeExecutionDescriptionInput {
  /** Languages the model may use. */
  readonly languages: readonly string[];
  /** Whether values persist between calls (`autoPersistGlobals`). */
  readonly persistGlobals?: boolean;
}

/**
 * The tool description a model reads: what runs where, what persists, what is out of
 * reach, and that only printed output comes back. Truthful for the sandbox as built
 * (no network, no processes, /app shared by every language of the session).
 */
export function describeCodeExecution(input: CodeExecutionDescriptionInput): string {
  const langs = input.languages;
  const lines = [
    `Run ${langs.join(", ")} code in an isolated WebAssembly sandbox and get back what it printed.`,
    ...langs.map((l) => `- ${LANGUAGE_NOTES[l] ?? l}`),
    "Files: /app is your working directory; files there persist between calls" +
      (langs.length > 1 ? " and are shared by all languages." : ".") +
      " Nothing else of the host is visible: no network, no subprocesses.",
    input.persistGlobals
      ? `Variables: kept between calls only in ${langs.map((l) => STATE_NOTES[l] ?? `${l} (see its docs)`).join(", ")}; save anything else to files.`
      : "Variables do not persist: every call starts a fresh interpreter, so save what you need to files in /app.",
    "Print what you need to see: only stdout and stderr come back, and long output is cut in the middle.",
    "Each run has CPU, memory and time limits; when one stops the run, the result names it.",
  ];
  return lines.join("\n");
}
