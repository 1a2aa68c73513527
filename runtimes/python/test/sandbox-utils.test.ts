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

  it("is importable without setup and does not import heavy modules eagerly", async () => {
    const { raw } = await h.run('import sys, sandbox_utils\nprint(len(sandbox_utils.__all__), sorted(m for m in ("csv", "json", "difflib", "xml.etree.ElementTree", "re") if m in sys.modules))');
    expect(raw.stdout.trim()).toBe("28 []");
  });

  it("imports from precompiled bytecode, not by compiling its sources each run", async () => {
    const os = await h.run("import os");
    const { raw } = await h.run("import os, sandbox_utils.files as f\nprint(f.__cached__, f.__spec__.loader.path)");
    expect(raw.stdout.trim()).toBe("/data/sandbox-lib/sandbox_utils/__pycache__/files.cpython-312.pyc /data/sandbox-lib/sandbox_utils/files.py");
    // compiling the sources costs ~150M fuel; loading the bytecode a small fraction of that
    expect(raw.fuelConsumed - os.raw.fuelConsumed).toBeLessThan(50_000_000);
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
