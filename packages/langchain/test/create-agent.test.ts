import { AIMessage, type BaseMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent } from "langchain";
import { LogEvent, memoryStorage, readSessionFile } from "llm-wasm-sandbox";
import { recordingLogger } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it, vi } from "vitest";
import { codeExecutionTool } from "../src/index.js";

const call = (language: string, code: string) => ({ name: "execute_code", args: { language, code } });
const lastToolText = (messages: BaseMessage[]) => String([...messages].reverse().find((m) => ToolMessage.isInstance(m))?.content);

describe("codeExecutionTool with LangChain.js (createAgent, fakeModel, no network)", () => {
  it("the agent calls the tool, the code runs, and the model reads the compact result", async () => {
    const storage = memoryStorage();
    let seen = "";
    const model = fakeModel()
      .respondWithTools([call("javascript", "writeText('/app/answer.txt', '42'); console.log(6 * 7)")])
      .respond((messages) => ((seen = lastToolText(messages)), new AIMessage("6 × 7 = 42")));
    const agent = createAgent({ model, tools: [codeExecutionTool({ languages: ["javascript"], sandboxOptions: { storage, sessionId: "lc-1" } })] });
    const { messages } = await agent.invoke({ messages: [{ role: "user", content: "What is 6 × 7?" }] });
    expect(messages.at(-1)?.content).toBe("6 × 7 = 42");
    expect(seen).toMatch(/^javascript · exit 0 · \d+ ms\nstdout:\n42\nfiles \(in \/app\): \+ answer\.txt$/);
    const toolMessage = messages.find((m) => ToolMessage.isInstance(m)) as ToolMessage;
    expect(toolMessage.artifact).toMatchObject({ language: "javascript", success: true, stdout: "42\n", files: { created: ["answer.txt"] } });
    expect(new TextDecoder().decode(await readSessionFile("lc-1", "answer.txt", { storage }))).toBe("42");
  });

  it("binds a JSON schema with the languages as an enum", async () => {
    const tool = codeExecutionTool({ languages: ["python", "ruby"], name: "run_code" });
    expect(tool.name).toBe("run_code");
    expect(tool.description).toContain("Run python, ruby code in an isolated WebAssembly sandbox");
    const { toJsonSchema } = await import("@langchain/core/utils/json_schema");
    const schema = toJsonSchema(tool.schema) as { properties: Record<string, { enum?: string[] }>; required: string[] };
    expect(schema.properties.language!.enum).toEqual(["python", "ruby"]);
    expect([...schema.required].sort()).toEqual(["code", "language"]);
  });

  it("a failing program comes back to the model with the error and guidance", async () => {
    let seen = "";
    const model = fakeModel()
      .respondWithTools([call("python", "import json\njson.loads('{bad')")])
      .respond((messages) => ((seen = lastToolText(messages)), new AIMessage("will fix")));
    await createAgent({ model, tools: [codeExecutionTool({ languages: ["python"] })] }).invoke({ messages: [{ role: "user", content: "parse" }] });
    expect(seen).toMatch(/^python · failed · exit 1[\s\S]*error: json\.decoder\.JSONDecodeError: Expecting property name/);
  });

  it("a language outside the enum never reaches a sandbox (attack: the model asks for another runtime)", async () => {
    const events: Record<string, unknown>[] = [];
    const tool = codeExecutionTool({ languages: ["python"], sandboxOptions: { logger: recordingLogger(events) } });
    await expect(tool.invoke({ language: "ruby", code: "puts 1" })).rejects.toThrow(/schema|language/i);
    expect(events.some((e) => e.event === LogEvent.EXECUTION_START)).toBe(false);
  });

  it("aborting the agent cancels the running code (the run stops; nothing else would stop it)", async () => {
    const events: Record<string, unknown>[] = [];
    const controller = new AbortController();
    const logger = recordingLogger(events, (e) => {
      if (e.event === LogEvent.EXECUTION_START) setTimeout(() => controller.abort(), 200);
    });
    const model = fakeModel().respondWithTools([call("javascript", "for (;;) {}")]).respond(new AIMessage("unreachable"));
    const tool = codeExecutionTool({ languages: ["javascript"], sandboxOptions: { logger, policy: { fuelBudget: Number.MAX_SAFE_INTEGER, timeoutMs: 600_000 } } });
    const agent = createAgent({ model, tools: [tool] });
    await expect(agent.invoke({ messages: [{ role: "user", content: "loop" }] }, { signal: controller.signal })).rejects.toThrow(/abort/i);
    await vi.waitFor(() => expect(events.some((e) => e.event === LogEvent.EXECUTION_COMPLETE && e.trapReason === "cancelled")).toBe(true), { timeout: 30_000 });
  });
});
