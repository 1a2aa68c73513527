/**
 * The corpus in the sandbox with the runtime's default fuel budget: ≥ 95 % of the
 * programs must run and print exactly the native interpreter's output. The wall clock is
 * set far away so that fuel is the only limit that can bind (a loaded machine must not
 * turn a fitting program into a timeout); memory, output caps and everything else stay
 * at their defaults.
 */
import { closeDefaultHost } from "llm-wasm-sandbox";
import { afterAll, describe, expect, it } from "vitest";
import { type CorpusLanguage, type CorpusRun, defaultFuelBudget, loadCorpus, runCorpusProgram } from "../src/index.js";

/** Share of the corpus that must run with the defaults. */
export const REQUIRED_SHARE = 0.95;

/** Declares the corpus test of one language. */
export function describeCorpus(language: CorpusLanguage): void {
  describe(`${language} agent-program corpus with the default fuel budget`, () => {
    afterAll(async () => {
      await closeDefaultHost();
    });

    it(`runs at least ${REQUIRED_SHARE * 100} % of the programs and prints the native interpreter's output`, { timeout: 3_600_000 }, async () => {
      const fuelBudget = await defaultFuelBudget(language);
      const runs: CorpusRun[] = [];
      for (const program of loadCorpus(language)) runs.push(await runCorpusProgram(program, { policy: { fuelBudget, timeoutMs: 3_600_000 } }));
      // A program may only miss by running out of fuel: any other failure or any output
      // difference is a fidelity bug.
      const wrong = runs.filter((r) => !r.ok && r.trapReason !== "out_of_fuel").map((r) => `${r.name}: ${r.trapReason ?? `exit, stdout ${JSON.stringify(r.stdout.slice(0, 200))}`} ${r.stderr.slice(-300)}`);
      expect(wrong).toEqual([]);
      const fit = runs.filter((r) => r.ok).length;
      expect(fit / runs.length, `only ${fit}/${runs.length} fit ${fuelBudget} fuel: ${runs.filter((r) => !r.ok).map((r) => r.name).join(", ")}`).toBeGreaterThanOrEqual(REQUIRED_SHARE);
    });
  });
}
