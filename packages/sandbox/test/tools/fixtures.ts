import { z } from "zod";
import { defineTool, type ToolSet } from "../../src/index.js";

/** The "Done when" tools: a search over a fixed corpus and a summarizer. */
export const DOCS = [
  { title: "Fuel in WebAssembly", score: 0.9, text: "Fuel counts instructions." },
  { title: "Memory caps", score: 0.4, text: "Imported memory has a maximum." },
  { title: "WASI preview1", score: 0.8, text: "Our own WASI over a virtual filesystem." },
];

export function searchTools(log: string[] = []): ToolSet {
  return {
    search: defineTool({
      description: "Searches the documentation.",
      input: z.object({ query: z.string().describe("what to look for"), limit: z.number().int().min(1).max(10).optional() }),
      output: z.array(z.object({ title: z.string(), score: z.number() })),
      handler: ({ query, limit }) => {
        log.push(`search:${query}`);
        return DOCS.filter((d) => d.text.toLowerCase().includes(query.toLowerCase()) || d.title.toLowerCase().includes(query.toLowerCase()))
          .slice(0, limit ?? 10)
          .map(({ title, score }) => ({ title, score }));
      },
    }),
    summarize: defineTool({
      description: "Summarizes titles into one line.",
      input: z.object({ titles: z.array(z.string()) }),
      output: z.object({ summary: z.string(), count: z.number().int() }),
      handler: ({ titles }) => {
        log.push(`summarize:${titles.length}`);
        return { summary: titles.join("; "), count: titles.length };
      },
    }),
  };
}

/** The same program in every language: search ×3, filter, summarize, print. */
export const PROGRAMS: Record<"python" | "javascript" | "ruby" | "lua", string> = {
  python: `
from tools import search, summarize
hits = []
for q in ["fuel", "memory", "wasi"]:
    hits += search(query=q)
good = [h["title"] for h in hits if h["score"] >= 0.5]
print(summarize(titles=good)["summary"])
`,
  javascript: `
const hits = [];
for (const q of ["fuel", "memory", "wasi"]) hits.push(...(await tools.search({ query: q })));
const good = hits.filter((h) => h.score >= 0.5).map((h) => h.title);
console.log((await tools.summarize({ titles: good })).summary);
`,
  ruby: `
hits = []
["fuel", "memory", "wasi"].each { |q| hits.concat(Tools.search(query: q)) }
good = hits.select { |h| h["score"] >= 0.5 }.map { |h| h["title"] }
puts Tools.summarize(titles: good)["summary"]
`,
  lua: `
local hits = {}
for _, q in ipairs({ "fuel", "memory", "wasi" }) do
  for _, h in ipairs(tools.search{ query = q }) do hits[#hits + 1] = h end
end
local good = {}
for _, h in ipairs(hits) do if h.score >= 0.5 then good[#good + 1] = h.title end end
print(tools.summarize{ titles = good }.summary)
`,
};

export const EXPECTED = "Fuel in WebAssembly; WASI preview1\n";
