import { describe, expect, it } from "vitest";
import { CLI_WASM_TIERING_BUDGET, cliWasmFlags } from "./wasm-flags.js";

const BUDGET = `--wasm-tiering-budget=${CLI_WASM_TIERING_BUDGET}`;

describe("the CLI's V8 wasm flags", () => {
  it("leaves a tiering budget given on the node command line alone, in either spelling", () => {
    expect(cliWasmFlags(null, ["--wasm-tiering-budget=5"])).toEqual([]);
    expect(cliWasmFlags(null, ["--no-warnings", "--wasm_tiering_budget=5"])).toEqual([]);
    expect(cliWasmFlags(null, ["--wasm-tiering-budget", "5"])).toEqual([]);
  });

  it("raises the budget otherwise (other wasm flags are not a budget)", () => {
    expect(cliWasmFlags(null, ["--wasm-tiering-budgetx=1", "--no-wasm-tier-up"])).toEqual([BUDGET]);
  });

  it("validates lazily only for the built-in interpreters, whose images are the project's own", () => {
    for (const runtime of ["javascript", "lua", "python", "ruby"]) expect(cliWasmFlags(runtime, [])).toEqual([BUDGET, "--wasm-lazy-validation"]);
    // A user's own module (or a runtime the command line does not name) is validated in full before it runs.
    for (const runtime of ["wasm", "tally", null]) expect(cliWasmFlags(runtime, [])).toEqual([BUDGET]);
  });

  it("leaves lazy validation to the node command line when it says either way", () => {
    expect(cliWasmFlags("ruby", ["--no-wasm-lazy-validation"])).toEqual([BUDGET]);
    expect(cliWasmFlags("ruby", ["--wasm_lazy_validation"])).toEqual([BUDGET]);
    expect(cliWasmFlags("ruby", ["--wasm-lazy-validationx"])).toEqual([BUDGET, "--wasm-lazy-validation"]);
  });
});
