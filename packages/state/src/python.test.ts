import { describe, expect, it } from "vitest";
import {
  SKIPPED_MARKER,
  STATE_GUEST_PATH,
  extractStateNotes,
  filterSerializableGlobals,
  isSerializable,
  loadStateCode,
  saveStateCode,
  wrapStatefulCode,
} from "./python.js";

describe("python state: host-side rules", () => {
  it("keeps the state file under the internal directory", () => {
    expect(STATE_GUEST_PATH).toBe("/app/.llm-sandbox/python_state.json");
  });

  it("accepts JSON-like values and rejects functions, cycles, class instances and non-finite numbers", () => {
    expect(isSerializable({ a: [1, "x", null, true, { b: 2.5 }] })).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(isSerializable(cyclic)).toBe(false);
    expect(isSerializable(() => 1)).toBe(false);
    expect(isSerializable(new Date())).toBe(false);
    expect(isSerializable(Number.NaN)).toBe(false);
    expect(isSerializable(undefined)).toBe(false);
  });

  it("accepts a value shared twice (not a cycle)", () => {
    const shared = [1, 2];
    expect(isSerializable({ a: shared, b: shared })).toBe(true);
  });

  it("splits globals into kept and skipped, ignoring private names", () => {
    const { kept, skipped } = filterSerializableGlobals({ counter: 1, f: () => 0, _private: 3, data: [1] });
    expect(kept).toEqual({ counter: 1, data: [1] });
    expect(skipped).toEqual(["f"]);
  });
});

describe("python state: notes from stderr", () => {
  it("moves the skipped-globals line into a note", () => {
    const { stderr, notes } = extractStateNotes(`warn\n${SKIPPED_MARKER} ["f (function)", "conn (Connection)"]\n`);
    expect(stderr).toBe("warn\n");
    expect(notes).toEqual(["Not persisted (not serializable): f (function), conn (Connection)"]);
  });

  it("leaves a look-alike line that is not valid JSON in stderr", () => {
    const text = `${SKIPPED_MARKER} not json\n`;
    expect(extractStateNotes(text)).toEqual({ stderr: text, notes: [] });
  });
});

describe("python state: generated code", () => {
  it("load and save code call the helpers on globals() with the state path", () => {
    expect(loadStateCode()).toContain(`__llm_sandbox_load_state("${STATE_GUEST_PATH}", globals())`);
    expect(saveStateCode({ path: "/app/.llm-sandbox/x.json" })).toContain(`__llm_sandbox_save_state("/app/.llm-sandbox/x.json", globals())`);
  });

  it("wraps user code as a literal compiled under the user's file name, saving in finally", () => {
    const code = 'print("a\\"b")\nx = """triple"""';
    const wrapped = wrapStatefulCode(code);
    expect(wrapped).toContain(`exec(compile(${JSON.stringify(code)}, "/app/user_code.py", "exec"), globals())`);
    expect(wrapped.indexOf("finally:")).toBeGreaterThan(wrapped.indexOf("exec(compile("));
  });
});
