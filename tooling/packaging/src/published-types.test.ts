/**
 * What an editor shows a user of the *published* typings (dist/*.d.ts, resolved the way
 * a consumer's TypeScript resolves them — no source condition): hovers keep the TSDoc,
 * with units, and `runtime` autocompletes the built-in names. Needs a build (`pnpm test`
 * builds first).
 */
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const CONSUMER = fileURLToPath(new URL("./__consumer__.ts", import.meta.url));
const CODE = `import { createSandbox } from "llm-wasm-sandbox";
const sandbox = await createSandbox({ runtime: "python", policy: { memoryBytes: 64 * 1024 * 1024, timeoutMs: 5000 } });
const result = await sandbox.execute("print(1)");
export const used = [result.fuelConsumed, result.memoryUsedBytes, result.fuelAnalysis.suggestedBudget];
export const custom = await createSandbox({ runtime: "tally" });
`;

const service = languageService(CONSUMER, CODE);
const at = (needle: string, offset = 0) => CODE.indexOf(needle) + offset;
const docs = (needle: string) => ts.displayPartsToString(service.getQuickInfoAtPosition(CONSUMER, at(needle))?.documentation ?? []);

describe("the published .d.ts of llm-wasm-sandbox, as an editor sees it", () => {
  it("type-checks a consumer, a third-party runtime name included", () => {
    const problems = [...service.getSyntacticDiagnostics(CONSUMER), ...service.getSemanticDiagnostics(CONSUMER)];
    expect(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
  });

  it("resolves the built declarations, not the sources", () => {
    const resolved = service.getProgram()!.getSourceFiles().map((f) => f.fileName);
    expect(resolved.some((f) => f.endsWith("/llm-wasm-sandbox/dist/index.d.ts"))).toBe(true);
    expect(resolved.some((f) => f.endsWith("/@llm-wasm-sandbox/core/dist/index.d.ts"))).toBe(true);
    expect(resolved.filter((f) => /\/(llm-wasm-sandbox|@llm-wasm-sandbox\/[^/]+)\/src\//.test(f))).toEqual([]);
  });

  it("keeps the TSDoc of policy fields, units included", () => {
    expect(docs("memoryBytes")).toMatch(/linear memory, in bytes/);
    expect(docs("timeoutMs")).toMatch(/in milliseconds/);
  });

  it("keeps the TSDoc of result fields", () => {
    expect(docs("fuelConsumed")).toMatch(/Fuel units consumed/);
    expect(docs("memoryUsedBytes")).toMatch(/in bytes/);
    expect(docs("suggestedBudget")).toMatch(/headroom/);
  });

  it("autocompletes runtime with the built-in names", () => {
    const completions = service.getCompletionsAtPosition(CONSUMER, at('runtime: "python"', 'runtime: "'.length), {});
    const names = completions?.entries.map((e) => e.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(["python", "javascript", "ruby", "lua", "wasm"]));
  });
});

/** A language service over one in-memory file next to this test, with a consumer's settings. */
function languageService(fileName: string, text: string): ts.LanguageService {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    types: [],
  };
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [fileName],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => {
      const content = name === fileName ? text : ts.sys.readFile(name);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => fileURLToPath(new URL(".", import.meta.url)),
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (name) => name === fileName || ts.sys.fileExists(name),
    readFile: (name) => (name === fileName ? text : ts.sys.readFile(name)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  return ts.createLanguageService(host);
}
