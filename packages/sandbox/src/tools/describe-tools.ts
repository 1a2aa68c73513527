/**
 * `describeTools`: the text a model needs to call a tool set from its code — per language,
 * how to import or reach the tools, each tool's call signature (from its zod schemas), its
 * description and parameters, and what a failure looks like. Paste it into a system
 * prompt; the MCP server's `execute_code` description includes it.
 */
import type { ToolSet } from "./define-tools.js";
import { type ToolManifestEntry, toolManifest } from "./tool-manifest.js";

/** Languages whose runtimes can call host functions (raw WebAssembly through its `llm_sandbox` import). */
export type ToolLanguage = "python" | "javascript" | "ruby" | "lua" | "wasm";

/** Every language that can call host functions. */
export const TOOL_LANGUAGES: readonly ToolLanguage[] = ["python", "javascript", "ruby", "lua", "wasm"];

/**
 * Renders how to call `tools` from each of `languages` (default: every language with stubs).
 * Returns "" for an empty tool set.
 */
export function describeTools(tools: ToolSet, languages: readonly ToolLanguage[] = TOOL_LANGUAGES): string {
  const manifest = toolManifest(tools);
  if (manifest.length === 0) return "";
  const sections = [...new Set(languages)].filter((l) => Object.hasOwn(RENDER, l)).map((language) => RENDER[language](manifest));
  const catalog = manifest.map(entryText).join("\n");
  return [
    "Host functions (tools) your code can call. Each call runs on the host and blocks until it answers; arguments and results are JSON data.",
    ...sections,
    "Tools:",
    catalog,
  ].join("\n\n");
}

const RENDER: Record<ToolLanguage, (manifest: readonly ToolManifestEntry[]) => string> = {
  python: (m) =>
    [
      "Python: `from tools import " + names(m) + "`, then call with keyword arguments, e.g. " + `\`${m[0]!.name}(${exampleArgs(m[0]!, "=", ", ")})\`.`,
      "Results are dicts, lists, str, int/float, bool or None. A failed call raises `tools.ToolError` (`.tool`, `.kind`, message).",
    ].join(" "),
  javascript: (m) =>
    [
      `JavaScript: the global \`tools\` object: \`await tools.${m[0]!.name}({ ${exampleArgs(m[0]!, ": ", ", ")} })\` (a Promise); the same call without await is \`tools.sync.${m[0]!.name}({ … })\`.`,
      "Results are plain JSON values. A failed call throws (rejects with) an Error named `ToolError` (`.tool`, `.kind`).",
    ].join(" "),
  ruby: (m) =>
    [
      `Ruby: the module \`Tools\`: \`Tools.${m[0]!.name}(${exampleArgs(m[0]!, ": ", ", ")})\` (keyword arguments, or one Hash).`,
      "Results are JSON data: Hash with String keys, Array, String, Integer, Float, true, false or nil. A failed call raises `Tools::ToolError` (a StandardError; `#tool`, `#kind`, message).",
    ].join(" "),
  lua: (m) =>
    [
      `Lua: the global table \`tools\`: \`tools.${m[0]!.name}${braced(exampleArgs(m[0]!, " = ", ", "))}\` (one table of named arguments).`,
      "Results are tables, strings, numbers and booleans; a JSON null inside a result is `tools.null`, a null result is nil. A failed call raises a table (`.tool`, `.kind`, `.message`) that `pcall` catches.",
    ].join(" "),
  wasm: () =>
    [
      'WebAssembly (WAT): import `(import "llm_sandbox" "call" (func $call (param i32 i32 i32 i32 i32 i32) (result i32)))` and call it with',
      "(name_ptr, name_len, args_ptr, args_len, out_ptr, out_cap): the tool name and a JSON object of arguments in memory as UTF-8. It returns the reply's length and writes the reply at out_ptr when it fits out_cap",
      '(`{"ok":true,"value":…}` or `{"ok":false,"error":{"name":…,"message":…}}`); a longer reply is copied later by `llm_sandbox.reply(out_ptr, out_cap) -> i32`. -1 means a range outside memory.',
    ].join(" "),
};

function entryText(entry: ToolManifestEntry): string {
  const params = entry.parameters.map((p) => `${p.name}${p.required ? "" : "?"}: ${p.type}`).join(", ");
  const lines = [`- ${entry.name}(${params}) -> ${entry.returns}`, `  ${entry.description.replace(/\n/g, "\n  ")}`];
  for (const p of entry.parameters) if (p.description) lines.push(`  ${p.name}: ${p.description}`);
  return lines.join("\n");
}

function braced(args: string): string {
  return args === "" ? "{}" : `{ ${args} }`;
}

function names(manifest: readonly ToolManifestEntry[]): string {
  return manifest.map((e) => e.name).join(", ");
}

/** An example argument list of the tool's required parameters (placeholders by type). */
function exampleArgs(entry: ToolManifestEntry, assign: string, sep: string): string {
  const params = entry.parameters.filter((p) => p.required);
  return params.map((p) => `${p.name}${assign}${placeholder(p.type)}`).join(sep) || "";
}

function placeholder(type: string): string {
  if (type === "string") return '"…"';
  if (type === "integer" || type === "number") return "1";
  if (type === "boolean") return "true";
  if (type.startsWith('"')) return type.split(" | ")[0]!;
  return "…";
}
