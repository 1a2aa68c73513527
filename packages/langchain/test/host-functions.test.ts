import { AIMessage, type BaseMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { DynamicStructuredTool, tool } from "@langchain/core/tools";
import { createAgent } from "langchain";
import { CODE_MODE_CALLS, CODE_MODE_PROGRAMS, searchCodeModeDocs } from "@llm-wasm-sandbox/testkit/code-mode";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { codeExecutionTool, hostFunctionsFromLangChainTools } from "../src/index.js";

function docTools(log: string[] = []) {
  const search = tool(
    async ({ query }) => {
      log.push(`search:${query}`);
      // LangChain tools usually return text: JSON text comes back to the program as data.
      return JSON.stringify(searchCodeModeDocs(query));
    },
    { name: "search", description: "Searches the documentation.", schema: z.object({ query: z.string().describe("what to look for") }) },
  );
  const summarize = new DynamicStructuredTool({
    name: "summarize",
    description: "Summarizes titles into one line.",
    schema: { type: "object" as const, properties: { titles: { type: "array" as const, items: { type: "string" as const } } }, required: ["titles"] },
    func: async ({ titles }: { titles: string[] }) => {
      log.push(`summarize:${titles.length}`);
      return JSON.stringify({ summary: titles.join("; ") });
    },
  });
  return [search, summarize];
}

const PROGRAM = CODE_MODE_PROGRAMS.lua;

describe("LangChain tools as host functions (code mode)", () => {
  it("runs search ×3, filter, summarize from the agent's program, and describes the tools to the model", async () => {
    const log: string[] = [];
    let seen = "";
    const model = fakeModel()
      .respondWithTools([{ name: "execute_code", args: { language: "lua", code: PROGRAM } }])
      .respond((messages: BaseMessage[]) => ((seen = String([...messages].reverse().find((m) => ToolMessage.isInstance(m))?.content)), new AIMessage("done")));
    const execute_code = codeExecutionTool({ languages: ["lua", "javascript"], tools: docTools(log) });
    const agent = createAgent({ model, tools: [execute_code] });
    const { messages } = await agent.invoke({ messages: [{ role: "user", content: "Summarize the good docs." }] });
    expect(messages.at(-1)?.content).toBe("done");
    expect(seen).toContain("Fuel in WebAssembly; WASI preview1");
    expect(log).toEqual(CODE_MODE_CALLS);
    expect(execute_code.description).toContain('tools.search{ query = "…" }');
    expect(execute_code.description).toContain("- summarize(titles: string[]) -> unknown");
  });

  it("raises the language's exception when a tool throws, and checks arguments first", async () => {
    const failing = tool(
      async () => {
        throw new Error("upstream said no");
      },
      { name: "fail", description: "Fails.", schema: z.object({ why: z.string() }) },
    );
    const execute_code = codeExecutionTool({ languages: ["javascript"], tools: [failing] });
    const code = `for (const args of [{ why: "x" }, { why: 5 }]) { try { tools.sync.fail(args); } catch (e) { console.log(e.kind + ": " + e.message); } }`;
    const message = (await execute_code.invoke({ id: "c1", name: "execute_code", type: "tool_call", args: { language: "javascript", code } })) as ToolMessage;
    expect((message.artifact as { stdout: string }).stdout).toBe("ToolFailed: upstream said no\nInvalidArguments: why: Invalid input: expected string, received number\n");
  });

  it("gives names every language accepts", () => {
    const t = (name: string) => tool(async () => "x", { name, description: "x", schema: z.object({}) });
    expect(Object.keys(hostFunctionsFromLangChainTools([t("getWeather"), t("web-search")]))).toEqual(["get_weather", "web_search"]);
  });
});
