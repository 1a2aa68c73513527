/**
 * A guest can damage its own session's saved state (issue 22.3): it writes garbage into the
 * state file the runtime's bootstrap loads before any user code, then exits. The next run
 * must still run the user's code — the damaged state becomes a note and a fresh start, never
 * a failure of every later run. (Python's engine has its own cases in runtimes/python.)
 */
import { describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, writeSessionFile } from "../../src/index.js";

const STATE_FILES: Record<string, string> = {
  javascript: ".llm-sandbox/javascript_state.json",
  ruby: ".llm-sandbox/ruby_state.marshal",
  lua: ".llm-sandbox/lua-state.lua",
};

const PRINT_OK: Record<string, string> = {
  javascript: 'console.log("still runs")',
  ruby: 'puts "still runs"',
  lua: 'print("still runs")',
};

/** Shapes of damage: wrong type, deep nesting, bytes that are not text, an empty file. */
const DAMAGE: Record<string, Uint8Array | string> = {
  "a JSON array": "[]",
  "100k-deep nesting": `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
  "invalid bytes": new Uint8Array([0xff, 0xfe, 0x00, 0x04, 0x08, 0xc3]),
  "an empty file": "",
  "code that loops": "while true do end\nloop {}\nfor(;;){}",
};

describe.each(Object.keys(STATE_FILES))("damaged saved state (%s)", (runtime) => {
  it.each(Object.keys(DAMAGE))("a state file holding %s never fails the next run", async (shape) => {
    const storage = memoryStorage();
    // Explicit budgets: fuel is the limit a state loader stuck in a loop would hit.
    const sb = await createSandbox({ runtime, storage, autoPersistGlobals: true, policy: { fuelBudget: 2_000_000_000, timeoutMs: 60_000 } });
    const first = await sb.execute(PRINT_OK[runtime] as string);
    expect(first.success, first.stderr).toBe(true);
    await writeSessionFile(sb.sessionId, STATE_FILES[runtime] as string, DAMAGE[shape] as string | Uint8Array, { storage });
    const next = await sb.execute(PRINT_OK[runtime] as string);
    expect(next.stdout, next.stderr).toContain("still runs");
    expect(next.success, next.stderr).toBe(true);
    // And the session keeps working afterwards.
    const after = await sb.execute(PRINT_OK[runtime] as string);
    expect(after.success, after.stderr).toBe(true);
  });
});
