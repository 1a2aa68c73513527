import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
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

describe("sandbox_utils inside the sandbox", () => {
  it("passes its in-sandbox test script (every helper, every path check)", async () => {
    // One run exercises every helper: a guest run costs far more than an assert.
    const script = await readFile(fileURLToPath(new URL("./sandbox_utils_check.py", import.meta.url)), "utf8");
    const ws = new MemoryWorkspace();
    ws.put("input/people.csv", "name,team,age\nAda,core,36\nLin,web,29\nBo,core,41\n");
    const { raw, interp } = await h.run(script, {}, ws);
    expect(raw.stderr).toBe("");
    expect(succeeded({ raw, interp })).toBe(true);
    expect(raw.stdout.trim().split("\n").pop()).toBe("ALL-CHECKS-PASSED");
  });

  it("is loaded in the interpreter snapshot: importing it costs next to no fuel", async () => {
    const base = await h.run("pass");
    const { raw } = await h.run("import sandbox_utils\nprint(len(sandbox_utils.__all__), sandbox_utils.__file__)");
    expect(raw.stdout.trim()).toBe("28 /data/sandbox-lib/sandbox_utils/__init__.py");
    expect(raw.fuelConsumed - base.raw.fuelConsumed).toBeLessThan(1_000_000);
  });

  it("refuses '..' with a ValueError that guidance maps to a path error", async () => {
    const { raw, interp } = await h.run('import sandbox_utils as su\nsu.cat("../etc/passwd")');
    expect(raw.stderr).toContain("ValueError: sandbox_utils: '..' is not allowed");
    expect(interp.languageError?.kind).toBe("PathOutsideWorkspace");
  });

  it("cannot be modified by the guest (mounted read-only)", async () => {
    const { raw } = await h.run('try:\n    open("/data/sandbox-lib/sandbox_utils/__init__.py", "w").write("x")\n    print("WROTE")\nexcept OSError as e:\n    print("denied", type(e).__name__)');
    expect(raw.stdout).not.toContain("WROTE");
  });
});
