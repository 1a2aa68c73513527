import { describe, expect, it } from "vitest";
import { CLI_WASM_TIERING_BUDGET, raiseWasmTieringBudget } from "./wasm-tiering.js";

describe("raiseWasmTieringBudget", () => {
  it("leaves a budget given on the node command line alone, in either spelling", () => {
    const set: string[] = [];
    expect(raiseWasmTieringBudget(["--wasm-tiering-budget=5"], (f) => set.push(f))).toBe(false);
    expect(raiseWasmTieringBudget(["--no-warnings", "--wasm_tiering_budget=5"], (f) => set.push(f))).toBe(false);
    expect(raiseWasmTieringBudget(["--wasm-tiering-budget", "5"], (f) => set.push(f))).toBe(false);
    expect(set).toEqual([]);
  });

  it("sets it otherwise (other wasm flags are not a budget)", () => {
    const set: string[] = [];
    expect(raiseWasmTieringBudget(["--wasm-tiering-budgetx=1", "--no-wasm-tier-up"], (f) => set.push(f))).toBe(true);
    expect(set).toEqual([`--wasm-tiering-budget=${CLI_WASM_TIERING_BUDGET}`]);
  });
});
