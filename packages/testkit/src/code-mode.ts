/**
 * The code-mode ("Done when") scenario shared by every package that tests host functions: a
 * fixed documentation corpus, a `search`/`summarize` pair a test wires up as tools in its own
 * framework, and the same agent program in every language that calls them.
 *
 * Kept free of vitest so a tool server spawned as a plain Node process can import it too.
 */

/** One document of the corpus. */
export interface CodeModeDoc {
  readonly title: string;
  readonly score: number;
  readonly text: string;
}

/** What `search` returns per hit. */
export interface CodeModeHit {
  readonly title: string;
  readonly score: number;
}

/** The corpus: two documents score at least 0.5, one does not. */
export const CODE_MODE_DOCS: readonly CodeModeDoc[] = [
  { title: "Fuel in WebAssembly", score: 0.9, text: "Fuel counts instructions." },
  { title: "Memory caps", score: 0.4, text: "Imported memory has a maximum." },
  { title: "WASI preview1", score: 0.8, text: "Our own WASI over a virtual filesystem." },
];

/** The reference `search`: documents whose title or text contains `query` (any case), at most `limit`. */
export function searchCodeModeDocs(query: string, limit = 10): CodeModeHit[] {
  const q = query.toLowerCase();
  return CODE_MODE_DOCS.filter((d) => d.title.toLowerCase().includes(q) || d.text.toLowerCase().includes(q))
    .slice(0, limit)
    .map(({ title, score }) => ({ title, score }));
}

/** The reference `summarize`: the titles joined with "; ". */
export function summarizeTitles(titles: readonly string[]): { summary: string; count: number } {
  return { summary: titles.join("; "), count: titles.length };
}

/** The languages the scenario's program is written in. */
export type CodeModeLanguage = "python" | "javascript" | "ruby" | "lua";

/** The same program in every language: search ×3, keep scores ≥ 0.5, summarize, print the summary. */
export const CODE_MODE_PROGRAMS: Readonly<Record<CodeModeLanguage, string>> = {
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

/** What every program prints. */
export const CODE_MODE_EXPECTED = "Fuel in WebAssembly; WASI preview1\n";

/** The tool calls every program makes, in order, as `name:argument` lines. */
export const CODE_MODE_CALLS: readonly string[] = ["search:fuel", "search:memory", "search:wasi", "summarize:2"];
