import { Agent, Runner, tool } from "@openai/agents-core";
import { assistantMessage, functionCall, ScriptedModel } from "@openai/agents-core/testing";
import { PolicyValidationError } from "llm-wasm-sandbox";
import { CODE_MODE_CALLS, CODE_MODE_EXPECTED, CODE_MODE_PROGRAMS, searchCodeModeDocs } from "@llm-wasm-sandbox/testkit/code-mode";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { codeExecutionTool, hostFunctionsFromAgentTools } from "../src/index.js";

const runner = new Runner({ tracingDisabled: true });
function docTools(log: string[] = []) {
  return [
    tool({
      name: "search",
      description: "Searches the documentation.",
      parameters: z.object({ query: z.string().describe("what to look for") }),
      execute: async ({ query }) => {
        log.push(`search:${query}`);
        return searchCodeModeDocs(query);
      },
    }),
    tool({
      name: "summarize",
      description: "Summarizes titles into one line.",
      parameters: z.object({ titles: z.array(z.string()) }),
      errorFunction: null,
      execute: async ({ titles }) => {
        log.push(`summarize:${titles.length}`);
        if (titles.length === 0) throw new Error("nothing to summarize");
        return { summary: titles.join("; ") };
      },
    }),
  ];
}

const PROGRAM = CODE_MODE_PROGRAMS.ruby;

describe("OpenAI Agents function tools as host functions (code mode)", () => {
  it("runs search ×3, filter, summarize from the agent's program, and describes the tools to the model", async () => {
    const log: string[] = [];
    const model = new ScriptedModel([[functionCall("execute_code", { language: "ruby", code: PROGRAM }, { callId: "c1" })], [assistantMessage("done")]]);
    const execute_code = codeExecutionTool({ languages: ["ruby", "python"], tools: docTools(log) });
    const agent = new Agent({ name: "Analyst", model, tools: [execute_code] });
    const result = await runner.run(agent, "Summarize the good docs.");
    expect(result.finalOutput).toBe("done");
    expect(log).toEqual(CODE_MODE_CALLS);
    const output = result.newItems.find((i) => i.type === "tool_call_output_item") as unknown as { customData?: { result: { stdout: string } } };
    expect(output.customData?.result.stdout).toBe(CODE_MODE_EXPECTED);
    expect(execute_code.description).toContain('Tools.search(query: "…")');
    expect(execute_code.description).toContain("from tools import search, summarize");
  });

  it("raises the language's exception when a tool with errorFunction: null throws; tool()'s default errorFunction answers with text", async () => {
    const soft = tool({ name: "soft", description: "Fails softly.", parameters: z.object({}), execute: async () => { throw new Error("soft failure"); } });
    const execute_code = codeExecutionTool({ languages: ["python"], tools: [...docTools(), soft] });
    const code = `import tools
try:
    tools.summarize(titles=[])
except tools.ToolError as e:
    print(e.kind, e.args[0])
print(tools.soft())`;
    const text = String(await execute_code.invoke({} as never, JSON.stringify({ language: "python", code })));
    expect(text).toContain("ToolFailed nothing to summarize");
    expect(text).toContain("An error occurred while running the tool");
  });

  it("refuses a call a tool needs approval for, and tools that are not function tools", async () => {
    const guarded = tool({ name: "delete_all", description: "Deletes.", parameters: z.object({}), needsApproval: true, execute: async () => "deleted" });
    const execute_code = codeExecutionTool({ languages: ["javascript"], tools: [guarded] });
    const out = await execute_code.invoke({} as never, JSON.stringify({ language: "javascript", code: "try { tools.sync.delete_all({}) } catch (e) { console.log(e.kind, e.message) }" }));
    expect(out).toContain("ToolFailed delete_all needs approval, which a program cannot give");
    expect(() => hostFunctionsFromAgentTools([{ type: "hosted_tool", name: "web_search" } as never])).toThrow(PolicyValidationError);
  });
});
