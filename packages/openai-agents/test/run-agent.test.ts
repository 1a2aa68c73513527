import { Agent, Runner } from "@openai/agents-core";
import { assistantMessage, functionCall, ScriptedModel } from "@openai/agents-core/testing";
import { LogEvent, memoryStorage, readSessionFile } from "llm-wasm-sandbox";
import { recordingLogger } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it, vi } from "vitest";
import { codeExecutionTool } from "../src/index.js";

const runner = new Runner({ tracingDisabled: true });

/** The text of the last function_call_result the model was given. */
function lastToolOutput(model: ScriptedModel): string {
  const input = model.lastCall?.request.input;
  const items = (Array.isArray(input) ? input : []) as { type: string; output?: { type: string; text: string } | string }[];
  const result = [...items].reverse().find((i) => i.type === "function_call_result");
  const output = result?.output;
  if (output === undefined) throw new Error("no function_call_result in the model's input");
  return typeof output === "string" ? output : output.text;
}

describe("codeExecutionTool with the OpenAI Agents SDK (ScriptedModel, Runner, no network)", () => {
  it("the agent calls the tool, the code runs, and the model reads the compact result", async () => {
    const storage = memoryStorage();
    const model = new ScriptedModel([
      [functionCall("execute_code", { language: "python", code: "open('/app/answer.txt', 'w').write('42')\nprint(6 * 7)" }, { callId: "call-1" })],
      [assistantMessage("6 × 7 = 42")],
    ]);
    const agent = new Agent({ name: "Analyst", model, tools: [codeExecutionTool({ languages: ["python"], sandboxOptions: { storage, sessionId: "agent-1" } })] });
    const result = await runner.run(agent, "What is 6 × 7?");
    expect(result.finalOutput).toBe("6 × 7 = 42");
    expect(lastToolOutput(model)).toMatch(/^python · exit 0 · \d+ ms\nstdout:\n42\nfiles \(in \/app\): \+ answer\.txt$/);
    const output = result.newItems.find((i) => i.type === "tool_call_output_item") as unknown as { customData?: { result: unknown } };
    expect(output.customData?.result).toMatchObject({ language: "python", success: true, stdout: "42\n", files: { created: ["answer.txt"] } });
    expect(new TextDecoder().decode(await readSessionFile("agent-1", "answer.txt", { storage }))).toBe("42");
    model.assertComplete();
  });

  it("sends a strict JSON schema with the languages as an enum", async () => {
    const model = new ScriptedModel([[assistantMessage("no code needed")]]);
    const agent = new Agent({ name: "a", model, tools: [codeExecutionTool({ languages: ["javascript", "lua"], name: "run_code" })] });
    await runner.run(agent, "hi");
    const [def] = model.firstCall!.request.tools as unknown as { name: string; description: string; strict: boolean; parameters: { properties: Record<string, { enum?: string[] }>; required: string[] } }[];
    expect(def).toMatchObject({ name: "run_code", strict: true });
    expect(def!.description).toContain("Run javascript, lua code in an isolated WebAssembly sandbox");
    expect(def!.parameters.properties.language!.enum).toEqual(["javascript", "lua"]);
    expect(def!.parameters.required.sort()).toEqual(["code", "language"]);
  });

  it("a failing program comes back to the model with the error and guidance", async () => {
    const model = new ScriptedModel([
      [functionCall("execute_code", { language: "lua", code: "local t = nil\nprint(t.x)" }, { callId: "c" })],
      [assistantMessage("fixed it")],
    ]);
    await runner.run(new Agent({ name: "a", model, tools: [codeExecutionTool({ languages: ["lua"] })] }), "go");
    expect(lastToolOutput(model)).toMatch(/^lua · failed · exit 1[\s\S]*error: /);
  });

  it("a language outside the enum never reaches a sandbox (attack: the model asks for another runtime)", async () => {
    const events: Record<string, unknown>[] = [];
    const model = new ScriptedModel([[functionCall("execute_code", { language: "ruby", code: "puts 1" }, { callId: "c" })], [assistantMessage("ok")]]);
    const tool = codeExecutionTool({ languages: ["python"], sandboxOptions: { logger: recordingLogger(events) } });
    await runner.run(new Agent({ name: "a", model, tools: [tool] }), "use ruby");
    expect(lastToolOutput(model)).not.toMatch(/ruby · /);
    expect(events.some((e) => e.event === LogEvent.EXECUTION_START)).toBe(false);
  });

  it("aborting the run cancels the running code (the run stops; nothing else would stop it)", async () => {
    const events: Record<string, unknown>[] = [];
    const controller = new AbortController();
    const logger = recordingLogger(events, (e) => {
      if (e.event === LogEvent.EXECUTION_START) setTimeout(() => controller.abort(), 200);
    });
    const model = new ScriptedModel([[functionCall("execute_code", { language: "javascript", code: "for (;;) {}" }, { callId: "c" })], [assistantMessage("unreachable")]]);
    const tool = codeExecutionTool({ languages: ["javascript"], sandboxOptions: { logger, policy: { fuelBudget: Number.MAX_SAFE_INTEGER, timeoutMs: 600_000 } } });
    await expect(runner.run(new Agent({ name: "a", model, tools: [tool] }), "loop", { signal: controller.signal })).rejects.toThrow(/abort/i);
    await vi.waitFor(() => expect(events.some((e) => e.event === LogEvent.EXECUTION_COMPLETE && e.trapReason === "cancelled")).toBe(true), { timeout: 30_000 });
  });
});
