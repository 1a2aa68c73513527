/**
 * The model of the README's code-mode example: scripted to send a program that calls the
 * `weather` tool from Python, then to answer from what the program printed.
 */
import { MockLanguageModelV4 } from "ai/test";
import { lastToolResultText, scriptedGenerate } from "./mock-model.js";

const PROGRAM = 'from tools import weather\nprint(max(["Oslo", "Rome"], key=lambda c: weather(city=c)["celsius"]))';

export const model = new MockLanguageModelV4({
  doGenerate: scriptedGenerate([
    { toolCall: { name: "execute_code", input: { language: "python", code: PROGRAM } } },
    { text: (prompt) => `${/stdout:\n(\w+)/.exec(lastToolResultText(prompt))?.[1]} is warmer.` },
  ]) as never,
});
