/**
 * The model the README examples leave to the reader ("any AI SDK model"): the SDK's
 * own mock model, scripted to compute the 30th Fibonacci number with the tool and
 * then answer from what the tool returned.
 */
import { MockLanguageModelV4 } from "ai/test";
import { lastToolResultText, scriptedGenerate } from "./mock-model.js";

const FIB = "a, b = 0, 1\nfor _ in range(30):\n    a, b = b, a + b\nprint(a)";

export const model = new MockLanguageModelV4({
  doGenerate: scriptedGenerate([
    { toolCall: { name: "execute_code", input: { language: "python", code: FIB } } },
    { text: (prompt) => `The 30th Fibonacci number is ${/stdout:\n(\d+)/.exec(lastToolResultText(prompt))?.[1]}.` },
  ]) as never,
});
