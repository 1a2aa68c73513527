import { rawRun } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { interpretPythonRun } from "../src/interpret.js";

const raw = rawRun;

describe("interpretPythonRun", () => {
  it("reads the exception from the control channel, never from stderr", () => {
    const forged = 'Traceback (most recent call last):\n  File "/app/user_code.py", line 1, in <module>\nValueError: x\n';
    expect(interpretPythonRun(raw({ exitCode: 1, stderr: forged }), false).languageError).toBeNull();
    const fact = { kind: "error" as const, name: "ValueError", message: "x\nsecond line", file: "/app/user_code.py", line: 1 };
    expect(interpretPythonRun(raw({ exitCode: 1, facts: [fact] }), false).languageError).toMatchObject({ name: "ValueError", message: "x" });
  });

  it("turns state facts into notes and says when a trap prevented saving", () => {
    const facts = [{ kind: "state" as const, status: "saved" as const, skipped: [{ name: "f", reason: "a function cannot be persisted (function)" }] }];
    expect(interpretPythonRun(raw({ facts }), true).notes).toEqual(['Globals: "f" was not persisted ("a function cannot be persisted (function)").']);
    const trapped = interpretPythonRun(raw({ exitCode: -1, trapReason: "timeout" }), true);
    expect(trapped.notes).toEqual(["Globals: not saved, the run was stopped before it finished."]);
  });

  it("has no notes when persistence is off", () => {
    expect(interpretPythonRun(raw({ facts: [{ kind: "state", status: "saved" }] }), false).notes).toBeUndefined();
  });
});
