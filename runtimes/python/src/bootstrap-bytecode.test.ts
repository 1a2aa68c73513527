import { MemoryWorkspace, createRuntimeHarness, type RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPythonPlugin } from "./index.js";
import { readSandboxLib, SANDBOX_LIB_GUEST_PATH } from "./sandbox-lib.js";

// The bootstrap runs from bytecode compiled once and mounted with sandbox_utils; a
// request that mounts its own /data/sandbox-lib gets the bootstrap as `-c` source.
let precompiled: RuntimeHarness;
let fromSource: RuntimeHarness;
beforeAll(async () => {
  const plugin = createPythonPlugin({ vendorDir: "/nonexistent-vendor-dir" });
  const lib = await readSandboxLib();
  precompiled = createRuntimeHarness(plugin);
  fromSource = createRuntimeHarness(plugin, [{ guestPath: SANDBOX_LIB_GUEST_PATH, files: lib.files }]);
});
afterAll(async () => {
  await precompiled?.close();
});

describe("precompiled bootstrap", () => {
  it("saves the bootstrap's compile fuel on every run", async () => {
    const fast = await precompiled.run("print(1)");
    const slow = await fromSource.run("print(1)");
    expect(fast.raw.stdout).toBe("1\n");
    expect(slow.raw.stdout).toBe("1\n");
    // Compiling the bootstrap source costs ~20M instructions; the loader a fraction of it.
    expect(slow.raw.fuelConsumed - fast.raw.fuelConsumed).toBeGreaterThan(10_000_000);
  });

  it("leaves the program the same globals as the source bootstrap (no loader names leak)", async () => {
    const code = "print(sorted(k for k in globals() if k not in ('__builtins__', '__spec__', '__loader__', '__doc__', '__annotations__')))";
    const fast = await precompiled.run(code);
    const slow = await fromSource.run(code);
    expect(fast.raw.stdout).toBe("['__file__', '__name__', '__package__']\n");
    expect(fast.raw.stdout).toBe(slow.raw.stdout);
  });

  it("reports an uncaught error with the user's file and line, like the source bootstrap", async () => {
    const code = "def f():\n    raise KeyError('k')\nf()";
    const fast = await precompiled.run(code);
    const slow = await fromSource.run(code);
    expect(fast.raw.stderr).toContain('File "/app/user_code.py", line 2, in f');
    expect(fast.raw.stderr).not.toContain("<string>");
    expect(fast.raw.stderr).toBe(slow.raw.stderr);
  });

  it("still carries globals across runs with autoPersistGlobals", async () => {
    const ws = new MemoryWorkspace();
    await precompiled.run("counter = 41", {}, ws, true);
    const second = await precompiled.run("print(counter + 1)", {}, ws, true);
    expect(second.raw.stdout).toBe("42\n");
  });
});
