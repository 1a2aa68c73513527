import { generateText, jsonSchema, stepCountIs, type Tool, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { PolicyValidationError } from "llm-wasm-sandbox";
import { CODE_MODE_CALLS, CODE_MODE_PROGRAMS, searchCodeModeDocs } from "@llm-wasm-sandbox/testkit/code-mode";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { codeExecutionTool, hostFunctionsFromAiTools } from "../src/index.js";
import { lastToolResultText, scriptedGenerate } from "./mock-model.js";

/** The "Done when" tools as AI SDK tools: one with a zod schema, one with a JSON Schema. */
function docTools(log: string[] = []) {
  return {
    search: tool({
      description: "Searches the documentation.",
      inputSchema: z.object({ query: z.string().describe("what to look for") }),
      execute: async ({ query }) => {
        log.push(`search:${query}`);
        return searchCodeModeDocs(query);
      },
    }),
    "summarize-titles": tool({
      description: "Summarizes titles into one line.",
      inputSchema: jsonSchema<{ titles: string[] }>({ type: "object", properties: { titles: { type: "array", items: { type: "string" } } }, required: ["titles"], additionalProperties: false }),
      execute: async ({ titles }) => {
        log.push(`summarize:${titles.length}`);
        return { summary: titles.join("; ") };
      },
    }),
  };
}

/** The scenario's Python program, calling "summarize-titles" by its Python name. */
const PROGRAM = CODE_MODE_PROGRAMS.python.replaceAll("summarize", "summarize_titles");

describe("AI SDK tools as host functions (code mode)", () => {
  it("runs search ×3, filter, summarize from the model's program, and describes the tools to the model", async () => {
    const log: string[] = [];
    let seen = "";
    const execute_code = codeExecutionTool({ languages: ["python", "lua"], tools: docTools(log) });
    const result = await generateText({
      model: new MockLanguageModelV4({
        doGenerate: scriptedGenerate([
          { toolCall: { name: "execute_code", input: { language: "python", code: PROGRAM } } },
          { text: (prompt) => (seen = lastToolResultText(prompt)) && "done" },
        ]) as never,
      }),
      tools: { execute_code },
      stopWhen: stepCountIs(3),
      prompt: "Summarize the good docs.",
    });
    expect(result.text).toBe("done");
    expect(seen).toContain("Fuel in WebAssembly; WASI preview1");
    expect(log).toEqual(CODE_MODE_CALLS);
    expect(execute_code.description).toContain("from tools import search, summarize_titles");
    expect(execute_code.description).toContain('tools.search{ query = "…" }');
    expect(execute_code.description).toContain("- summarize_titles(titles: string[]) -> unknown");
  });

  it("checks arguments against the tool's schema (zod or JSON Schema) before execute runs", async () => {
    const log: string[] = [];
    const execute_code = codeExecutionTool({ languages: ["python"], tools: docTools(log) });
    const code = `import tools
for call in (lambda: tools.search(query=5), lambda: tools.summarize_titles(titles="x"), lambda: tools.summarize_titles(titles=[], extra=1)):
    try:
        call()
    except tools.ToolError as e:
        print(e.kind)`;
    const r = await execute_code.execute!({ language: "python", code }, { toolCallId: "t1", messages: [], context: undefined });
    expect((r as { stdout: string }).stdout).toBe("InvalidArguments\nInvalidArguments\nInvalidArguments\n");
    expect(log).toEqual([]);
  });

  it("raises the language's exception when execute throws, and hands execute the call's abort signal", async () => {
    let signal: unknown = null;
    const tools = hostFunctionsFromAiTools({
      fail: tool({
        description: "Fails.",
        inputSchema: z.object({}),
        execute: async (_input, options): Promise<string> => {
          signal = options.abortSignal;
          throw new Error("upstream said no");
        },
      }),
    });
    const execute_code = codeExecutionTool({ languages: ["ruby"], sandboxOptions: { tools } });
    const r = await execute_code.execute!(
      { language: "ruby", code: `begin\n  Tools.fail\nrescue Tools::ToolError => e\n  puts "#{e.kind}: #{e.message}"\nend` },
      { toolCallId: "t1", messages: [], context: undefined },
    );
    expect((r as { stdout: string }).stdout).toBe("ToolFailed: upstream said no\n");
    expect(signal).toBeInstanceOf(AbortSignal);
  });

  it("returns the last value of a streaming tool", async () => {
    const tools = hostFunctionsFromAiTools({
      count: tool({
        description: "Counts to three, streaming.",
        inputSchema: z.object({}),
        async *execute() {
          yield 1;
          yield 2;
          yield 3;
        },
      }),
    });
    const execute_code = codeExecutionTool({ languages: ["javascript"], sandboxOptions: { tools } });
    const r = await execute_code.execute!({ language: "javascript", code: "console.log(tools.sync.count({}))" }, { toolCallId: "t1", messages: [], context: undefined });
    expect((r as { stdout: string }).stdout).toBe("3\n");
  });

  it("refuses tools that cannot run inside a program, and names that collide", () => {
    const clientSide = { description: "No execute.", inputSchema: z.object({}) } as Tool;
    expect(() => hostFunctionsFromAiTools({ client_side: clientSide })).toThrow(PolicyValidationError);
    expect(() => hostFunctionsFromAiTools({ client_side: clientSide })).toThrow(/no execute function/);
    const t = tool({ description: "x", inputSchema: z.object({}), execute: async () => 1 });
    expect(() => hostFunctionsFromAiTools({ "get-weather": t, get_weather: t })).toThrow(/both become "get_weather"/);
  });
});
