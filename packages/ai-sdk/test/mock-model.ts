/**
 * A scripted language model for the AI SDK's own mock classes (MockLanguageModelV4 in
 * ai@7, V3 in ai@6): each step either calls a tool or answers with text, and sees the
 * prompt the SDK built (so tests read what the model was given after a tool call).
 */
export type ModelStep = { toolCall: { name: string; input: unknown } } | { text: (prompt: readonly PromptMessage[]) => string };

/** The part of the SDK's prompt messages the tests read. */
export interface PromptMessage {
  role: string;
  content: unknown;
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

/** `doGenerate` for the mock model classes of both SDK majors (same result shape). */
export function scriptedGenerate(steps: readonly ModelStep[]): (options: { prompt: PromptMessage[] }) => Promise<unknown> {
  let i = 0;
  return async ({ prompt }) => {
    const step = steps[i++];
    if (!step) throw new Error(`the script has no step ${i}`);
    if ("toolCall" in step) {
      return {
        content: [{ type: "tool-call", toolCallId: `call-${i}`, toolName: step.toolCall.name, input: JSON.stringify(step.toolCall.input) }],
        finishReason: { unified: "tool-calls", raw: undefined },
        usage,
        warnings: [],
      };
    }
    return { content: [{ type: "text", text: step.text(prompt) }], finishReason: { unified: "stop", raw: undefined }, usage, warnings: [] };
  };
}

/** The text of the last tool result in a prompt (what `toModelOutput` produced). */
export function lastToolResultText(prompt: readonly PromptMessage[]): string {
  const tool = [...prompt].reverse().find((m) => m.role === "tool");
  const part = (tool?.content as { type: string; output: { type: string; value: unknown } }[] | undefined)?.find((p) => p.type === "tool-result");
  if (!part) throw new Error("no tool result in the prompt");
  return part.output.type === "text" ? String(part.output.value) : JSON.stringify(part.output.value);
}
