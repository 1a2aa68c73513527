import { python as pyState } from "@llm-wasm-sandbox/state";
import { rawRun } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { interpretPythonRun } from "../src/engine.js";

const raw = rawRun;

describe("interpretPythonRun", () => {
  it("succeeds only on exit 0 without a trap", () => {
    expect(interpretPythonRun(raw({}), false).success).toBe(true);
    expect(interpretPythonRun(raw({ exitCode: 2 }), false).success).toBe(false);
    expect(interpretPythonRun(raw({ trapReason: "out_of_fuel", exitCode: 0 }), false).success).toBe(false);
  });

  it("parses the exception only for failed runs", () => {
    const stderr = 'Traceback (most recent call last):\n  File "/app/user_code.py", line 1, in <module>\nValueError: x\n';
    expect(interpretPythonRun(raw({ exitCode: 0, stderr }), false).languageError).toBeNull();
    expect(interpretPythonRun(raw({ exitCode: 1, stderr }), false).languageError?.name).toBe("ValueError");
  });

  it("moves the state note out of stderr and says when a trap prevented saving", () => {
    const ok = interpretPythonRun(raw({ stderr: `${pyState.SKIPPED_MARKER} ["f (function)"]\n` }), true);
    expect(ok.stderr).toBe("");
    expect(ok.notes).toEqual(["Not persisted (not serializable): f (function)"]);
    const trapped = interpretPythonRun(raw({ exitCode: -1, trapReason: "timeout" }), true);
    expect(trapped.notes).toEqual(["Globals were not saved: the run was stopped before it finished."]);
  });

  it("leaves stderr untouched when persistence is off", () => {
    const line = `${pyState.SKIPPED_MARKER} ["f (function)"]\n`;
    const r = interpretPythonRun(raw({ stderr: line }), false);
    expect(r.stderr).toBeUndefined();
    expect(r.notes).toBeUndefined();
  });
});
