/**
 * The model the README examples leave to the reader: LangChain's own fakeModel(), calling
 * the tool to count days and then answering from what the tool returned.
 */
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";

const CODE = "from datetime import date\nprint((date(2024, 12, 25) - date(2024, 1, 1)).days)";

export const model = fakeModel()
  .respondWithTools([{ name: "execute_code", args: { language: "python", code: CODE } }])
  .respond((messages: BaseMessage[]) => new AIMessage(`${/stdout:\n(\d+)/.exec(String(messages.at(-1)?.content))?.[1]} days.`));
