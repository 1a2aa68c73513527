/**
 * The model the README examples leave to the reader: the Agents SDK's own ScriptedModel,
 * calling the tool to compute 2**100 and then answering from what the tool returned.
 */
import { assistantMessage, functionCall, modelResponder, ScriptedModel } from "@openai/agents-core/testing";

export const model = new ScriptedModel([
  [functionCall("execute_code", { language: "python", code: "print(2 ** 100)" }, { callId: "call-1" })],
  modelResponder(({ request }) => {
    const items = request.input as { type: string; output?: { text: string } }[];
    const output = [...items].reverse().find((i) => i.type === "function_call_result")?.output?.text ?? "";
    return [assistantMessage(`2**100 = ${/stdout:\n(\d+)/.exec(output)?.[1]}`)];
  }),
]);
