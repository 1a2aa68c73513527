import { MemoryWorkspace, succeeded } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATE_FILE } from "../src/index.js";
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

  it("never lets a damaged state file fail a run (attack: the guest writes [] or a 100k-deep array into it and exits)", async () => {
    const payloads = ["'[]'", "'[' * 100_000 + ']' * 100_000", "'{\"globals\": 5}'", "'{\"globals\": {\"a\": {\"__t\": \"nope\"}}}'", "'\\xff\\xfe'"];
    for (const payload of payloads) {
      const ws = new MemoryWorkspace();
      await h.run("x = 1", {}, ws, true);
      const attack = await h.run(`import os\nopen("/app/${STATE_FILE}", "w").write(${payload})\nos._exit(0)`, {}, ws, true);
      expect(attack.raw.exitCode).toBe(0);
      const next = await h.run("print('still-runs', 'x' in globals())\ny = 2", {}, ws, true);
      expect(succeeded(next), payload).toBe(true);
      expect(next.raw.stdout.trim()).toBe("still-runs False");
      expect(next.raw.stderr).toBe("");
      expect(next.interp.notes?.[0]).toMatch(/^Globals: the copy saved by an earlier run could not be read \(".+"\); this run started without it\.$/);
      const after = await h.run("print(y)", {}, ws, true);
      expect(after.raw.stdout.trim()).toBe("2");
    }
  });
});
