import { z } from "zod";
import { searchCodeModeDocs, summarizeTitles } from "@llm-wasm-sandbox/testkit/code-mode";
import { defineTool, type ToolSet } from "../../src/index.js";

/** The "Done when" tools (testkit's code-mode scenario) as `defineTool`s, logging each call. */
export function searchTools(log: string[] = []): ToolSet {
  return {
    search: defineTool({
      description: "Searches the documentation.",
      input: z.object({ query: z.string().describe("what to look for"), limit: z.number().int().min(1).max(10).optional() }),
      output: z.array(z.object({ title: z.string(), score: z.number() })),
      handler: ({ query, limit }) => {
        log.push(`search:${query}`);
        return searchCodeModeDocs(query, limit);
      },
    }),
    summarize: defineTool({
      description: "Summarizes titles into one line.",
      input: z.object({ titles: z.array(z.string()) }),
      output: z.object({ summary: z.string(), count: z.number().int() }),
      handler: ({ titles }) => {
        log.push(`summarize:${titles.length}`);
        return summarizeTitles(titles);
      },
    }),
  };
}
