import { MemoryWorkspace, succeeded } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonHarness } from "./helpers.js";

let h: Awaited<ReturnType<typeof pythonHarness>>;
beforeAll(async () => {
  h = pythonHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("autoPersistGlobals for python", () => {
  it("carries JSON-like and tagged values across executions, skipping the rest with a note", async () => {
    const ws = new MemoryWorkspace();
    const first = await h.run(
      "import math\ncounter = 100\ndata = [1, (2, 3), {4, 5}, {1: 'a'}, b'\\x00z', 1.5, float('inf'), None]\nf = lambda: 1\n_private = 9",
      {},
      ws,
      true,
    );
    expect(succeeded(first)).toBe(true);
    expect(first.interp.notes).toEqual(['Globals: "f" was not persisted ("a function cannot be persisted (function)").']);
    expect(first.raw.stderr).toBe("");
    expect(first.raw.journal.entries.map((e) => e.path)).toContain(".llm-sandbox/python_state.json");

    const second = await h.run("counter += 1\ndata.append(4)\nprint(f'counter={counter} data={data}')\nprint('_private' in globals(), 'math' in globals())", {}, ws, true);
    expect(second.raw.stdout).toContain("counter=101 data=[1, (2, 3), {4, 5}, {1: 'a'}, b'\\x00z', 1.5, inf, None, 4]");
    expect(second.raw.stdout).toContain("False False");
  });

  it("saves state even when the code raises, and never without autoPersistGlobals", async () => {
    const ws = new MemoryWorkspace();
    const failed = await h.run("x = 7\nraise RuntimeError('late')", {}, ws, true);
    expect(succeeded(failed)).toBe(false);
    expect(failed.interp.languageError?.name).toBe("RuntimeError");
    const off = await h.run("y = 1", {}, ws, false);
    expect(off.raw.journal.entries).toEqual([]);
    const again = await h.run("print(x)", {}, ws, true);
    expect(again.raw.stdout.trim()).toBe("7");
  });
});
