/**
 * The interpreter snapshot is the host's (`RunSpec.snapshot`, taken with the runtime's own
 * mounts): a new host over the same cache directory restores the saved file instead of
 * starting CPython again, and both hosts' runs start from the very same interpreter.
 */
import { createRuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { createPythonPlugin } from "../src/index.js";

// The snapshot's warm-up imported these from the standard library and sandbox-lib mounts.
const CODE = "import sys\nprint(sorted(m for m in ('json', 're', 'sandbox_utils') if m in sys.modules))";

async function runOnNewHost(): Promise<{ origins: readonly string[]; stdout: string; fuel: number }> {
  // A new plugin too: nothing memoized in this process is shared with the previous host.
  await using h = createRuntimeHarness(createPythonPlugin({ vendorDir: "/nonexistent-vendor-dir" }));
  const { raw } = await h.run(CODE);
  return { origins: [...h.runner.snapshotOrigins], stdout: raw.stdout, fuel: raw.fuelConsumed };
}

describe("the Python snapshot in the host's snapshot store", () => {
  it("is restored from the cache directory by a new host, with the warm-up's imports in it", async () => {
    const first = await runOnNewHost(); // takes the snapshot, or finds it from an earlier process
    expect(first.stdout).toBe("['json', 're', 'sandbox_utils']\n");
    const second = await runOnNewHost();
    expect(second.origins).toEqual(["disk"]);
    expect(second.stdout).toBe(first.stdout);
    // The same interpreter state in both hosts: the same program costs the same fuel.
    expect(second.fuel).toBe(first.fuel);
  }, 300_000);
});
