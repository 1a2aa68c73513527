import { python as pyState } from "@llm-wasm-sandbox/state";
import { MemoryWorkspace } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonHarness } from "./helpers.js";

let h: Awaited<ReturnType<typeof pythonHarness>>;
beforeAll(async () => {
  h = await pythonHarness();
});
afterAll(async () => {
  await h.engine.close();
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
    expect(first.interp.success).toBe(true);
    expect(first.interp.notes).toEqual(["Not persisted (not serializable): f (function)"]);
    expect(first.interp.stderr ?? first.raw.stderr).not.toContain(pyState.SKIPPED_MARKER);
    expect(first.raw.journal.entries.map((e) => e.path)).toContain(pyState.STATE_FILE);

    const second = await h.run("counter += 1\ndata.append(4)\nprint(f'counter={counter} data={data}')\nprint('_private' in globals(), 'math' in globals())", {}, ws, true);
    expect(second.raw.stdout).toContain("counter=101 data=[1, (2, 3), {4, 5}, {1: 'a'}, b'\\x00z', 1.5, inf, None, 4]");
    expect(second.raw.stdout).toContain("False False");
  });

  it("saves state even when the code raises, and never without autoPersistGlobals", async () => {
    const ws = new MemoryWorkspace();
    const failed = await h.run("x = 7\nraise RuntimeError('late')", {}, ws, true);
    expect(failed.interp.success).toBe(false);
    expect(failed.interp.languageError?.name).toBe("RuntimeError");
    const off = await h.run("y = 1", {}, ws, false);
    expect(off.raw.journal.entries).toEqual([]);
    const again = await h.run("print(x)", {}, ws, true);
    expect(again.raw.stdout.trim()).toBe("7");
  });
});
