/**
 * The agent-program corpus: realistic programs an LLM writes for data work (CSV/JSON,
 * regex, dates, classes, recursion, big sorts, formatting, files, Unicode, statistics,
 * generators), one folder per language under `corpus/`, each `name.<ext>` next to the
 * `name.out` its native interpreter printed (CPython 3.11, Node 20, Ruby 3.1, Lua 5.4).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The languages the corpus covers. */
export const CORPUS_LANGUAGES = ["python", "javascript", "ruby", "lua"] as const;

/** One of {@link CORPUS_LANGUAGES}. */
export type CorpusLanguage = (typeof CORPUS_LANGUAGES)[number];

/** File extension of each language's programs. */
export const EXTENSIONS: Readonly<Record<CorpusLanguage, string>> = { python: ".py", javascript: ".js", ruby: ".rb", lua: ".lua" };

/** One corpus program and the stdout its native interpreter printed. */
export interface CorpusProgram {
  /** File name without extension, e.g. `csv_sales_summary`. */
  readonly name: string;
  readonly language: CorpusLanguage;
  /** Absolute path of the program file. */
  readonly path: string;
  readonly code: string;
  /** Expected stdout (the native interpreter's). */
  readonly expected: string;
}

/** Absolute path of a language's corpus folder. */
export function corpusDir(language: CorpusLanguage): string {
  // src/, dist/ and dist/bench/ all sit below the package root that holds corpus/.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "corpus", language))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`corpus/${language} not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return join(dir, "corpus", language) + "/";
}

/** Every program of a language, sorted by name. */
export function loadCorpus(language: CorpusLanguage): CorpusProgram[] {
  const dir = corpusDir(language);
  const ext = EXTENSIONS[language];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => {
      const name = f.slice(0, -ext.length);
      return { name, language, path: dir + f, code: readFileSync(dir + f, "utf8"), expected: readFileSync(`${dir}${name}.out`, "utf8") };
    });
}
