/**
 * Something a reader can do about a failure. Guidance is written once, as text steps and
 * remedies, and rendered for the channel the reader is on (`renderGuidance`): a library
 * user raises `policy.fuelBudget`, a CLI user passes `--fuel`, a model on the MCP server can
 * do neither and is told what it can do instead. A remedy the reader cannot act on is left
 * out rather than suggested.
 */
export type Remedy =
  /** More fuel would let legitimate work finish; `suggested` is a budget that would fit, in fuel units. */
  | { readonly remedy: "raise-fuel"; readonly suggested: number }
  /** More memory would help; `currentBytes` is the cap the run had, when known. */
  | { readonly remedy: "raise-memory"; readonly currentBytes?: number }
  /** More wall-clock time would help; `currentMs` is the limit the run had, when known. */
  | { readonly remedy: "raise-timeout"; readonly currentMs?: number }
  /** Installing a pure-Python package would make an import work. */
  | { readonly remedy: "install-package"; readonly name: string }
  /** Keeping the language's state between runs would help; `what` names it (`globals`, `_state`, `$state`). */
  | { readonly remedy: "persist-state"; readonly what: string };

/** One step of guidance: a sentence every reader can act on, or a remedy rendered per channel. */
export type GuidanceStep = string | Remedy;

/**
 * Where guidance is read: the library's API, the `llm-wasm-sandbox` CLI, a model through
 * the MCP server, or a model through a framework's code-execution tool (AI SDK, OpenAI
 * Agents, LangChain.js: it can only call the tool again, with other code).
 */
export type GuidanceChannel = "api" | "cli" | "mcp" | "tool";

/** Who reads the guidance, and what they can do. */
export interface GuidanceReader {
  readonly channel: GuidanceChannel;
  /** The session already persists its state (so "enable persistence" is not advice). */
  readonly autoPersistGlobals?: boolean;
  /** MCP: the largest timeout a call may ask for, ms (raising the timeout is advice only below it). */
  readonly maxTimeoutMs?: number;
  /** MCP: whether install_package is available. */
  readonly canInstallPackages?: boolean;
}

const NO_C_EXTENSIONS = "pure-Python packages only: numpy, pandas and other packages with C extensions cannot run in WebAssembly";

/** Renders guidance steps for a reader: text as is, remedies in the reader's terms, impossible ones left out. */
export function renderGuidance(steps: readonly GuidanceStep[], reader: GuidanceReader): string[] {
  const out: string[] = [];
  for (const step of steps) {
    const text = typeof step === "string" ? step : renderRemedy(step, reader);
    if (text !== null && !out.includes(text)) out.push(text);
  }
  return out;
}

function renderRemedy(r: Remedy, reader: GuidanceReader): string | null {
  const { channel } = reader;
  switch (r.remedy) {
    case "raise-fuel": {
      const n = r.suggested.toLocaleString("en-US");
      if (channel === "api") return `If the work is legitimate, raise policy.fuelBudget (about ${n} would fit).`;
      if (channel === "cli") return `If the work is legitimate, run again with --fuel ${r.suggested}.`;
      if (channel === "tool") return "If the work is legitimate, split it across several calls and keep intermediate results in /app files: the fuel budget is set by the application.";
      return "If the work is legitimate, split it across several execute_code calls and keep intermediate results in /app files: the fuel budget is set by whoever runs the server.";
    }
    case "raise-memory": {
      const mib = r.currentBytes === undefined ? null : Math.round(r.currentBytes / 1048576);
      if (channel === "api") return `If the data really needs it, raise policy.memoryBytes${mib === null ? "" : ` (now ${mib} MiB)`}.`;
      if (channel === "cli") return `If the data really needs it, run again with a larger --memory${mib === null ? " (e.g. 256MiB)" : `, e.g. --memory ${mib * 2}MiB`}.`;
      return `The memory cap${mib === null ? "" : ` (${mib} MiB)`} is set by ${channel === "tool" ? "the application" : "whoever runs the server"}: work on the data in smaller pieces.`;
    }
    case "raise-timeout": {
      const now = r.currentMs;
      if (channel === "api") return `If the program needs longer, raise policy.timeoutMs${now === undefined ? "" : ` (now ${now} ms)`}.`;
      if (channel === "cli") return `If the program needs longer, run again with a larger --timeout (milliseconds${now === undefined ? "" : `, e.g. ${now * 2}`}).`;
      if (channel === "tool") return null;
      if (reader.maxTimeoutMs === undefined || (now !== undefined && reader.maxTimeoutMs <= now)) return null;
      return `If the program needs longer, pass a larger timeout (in seconds, at most ${reader.maxTimeoutMs / 1000}).`;
    }
    case "install-package":
      if (channel === "api") return `To make it available, vendor it: vendorAdd("${r.name}") from @llm-wasm-sandbox/runtime-python, or \`llm-wasm-sandbox vendor add ${r.name}\` (${NO_C_EXTENSIONS}).`;
      if (channel === "cli") return `To make it available: \`llm-wasm-sandbox vendor add ${r.name}\` (${NO_C_EXTENSIONS}).`;
      if (channel === "tool") return null;
      return reader.canInstallPackages ? `To make it available, call install_package with package "${r.name}" (${NO_C_EXTENSIONS}).` : null;
    case "persist-state":
      if (reader.autoPersistGlobals) {
        return `This session keeps ${r.what} between runs, but only values of the supported types, and nothing from a run stopped by a limit: the notes of the earlier run name what was not kept.`;
      }
      if (channel === "api") return `To keep ${r.what} between executions of a session, create the sandbox with autoPersistGlobals: true.`;
      if (channel === "cli") return `To keep ${r.what} between runs, run with --session NAME --auto-persist-globals.`;
      if (channel === "tool") return "To keep values between calls, write them to files under /app and read them back in the next call.";
      return `To keep ${r.what} between calls, create a session with create_session(auto_persist_globals=true) and pass its session_id.`;
  }
}
