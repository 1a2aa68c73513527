/**
 * The corpus's expected outputs are what the native interpreters print: each program is run
 * natively where its interpreter is installed at the recorded version (CI installs them;
 * see the README's test setup) and must print exactly its `.out`.
 */
import { describe, expect, it } from "vitest";
import { CORPUS_LANGUAGES, loadCorpus, nativeInterpreter, runNative } from "../src/index.js";

describe.each(CORPUS_LANGUAGES)("%s corpus against the native interpreter", (language) => {
  const { interpreter, why } = nativeInterpreter(language);
  const programs = loadCorpus(language);

  it("has about sixty programs, each with an expected output", () => {
    expect(programs.length).toBeGreaterThanOrEqual(60);
    for (const p of programs) expect(p.expected.length, p.name).toBeGreaterThan(0);
  });

  it.skipIf(interpreter === null)(`prints every expected output natively${why ? ` (skipped: ${why})` : ""}`, () => {
    const differing: string[] = [];
    for (const program of programs) {
      const r = runNative(interpreter!, program);
      if (r.status !== 0 || r.stdout !== program.expected) differing.push(`${program.name}: status ${String(r.status)} ${r.stderr.slice(-200)}`);
    }
    expect(differing).toEqual([]);
  });
});
