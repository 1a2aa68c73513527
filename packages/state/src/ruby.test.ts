import { INTERNAL_DIR } from "@llm-wasm-sandbox/core";
import { describe, expect, it } from "vitest";
import { STATE_FILE, STATE_GUEST_PATH, STATE_HELPERS_RB, SKIPPED_MARKER, extractStateNotes } from "./ruby.js";

describe("ruby state", () => {
  it("keeps the state file under the internal directory of /app", () => {
    expect(STATE_FILE.startsWith(`${INTERNAL_DIR}/`)).toBe(true);
    expect(STATE_GUEST_PATH).toBe(`/app/${STATE_FILE}`);
  });

  it("defines load and save for $state with per-entry Marshal", () => {
    expect(STATE_HELPERS_RB).toContain("def self.load(path)");
    expect(STATE_HELPERS_RB).toContain("def self.save(path)");
    expect(STATE_HELPERS_RB).toContain("Marshal.dump(value)");
    expect(STATE_HELPERS_RB).toContain(JSON.stringify(SKIPPED_MARKER));
  });

  it("turns the skipped-entries line into a note and removes it from stderr", () => {
    const { stderr, notes } = extractStateNotes(`oops\n${SKIPPED_MARKER} ["\\"cb\\" (Proc)"]\n`);
    expect(stderr).toBe("oops\n");
    expect(notes).toEqual(['Not persisted (not serializable): "cb" (Proc)']);
  });
});
