import { describe, expect, it } from "vitest";
import { extractLuaStateNotes, LUA_STATE_LIBRARY, LUA_STATE_NOTE_PREFIX, LUA_STATE_PATH } from "./lua.js";

describe("Lua state helpers", () => {
  it("keeps the state file under the internal directory", () => {
    expect(LUA_STATE_PATH).toBe(".llm-sandbox/lua-state.lua");
  });

  it("moves note lines from stderr into notes and leaves the rest", () => {
    const stderr = `warning: x\n${LUA_STATE_NOTE_PREFIX}_state["fn"] (function) was not persisted\nlua: boom\n`;
    const { stderr: rest, notes } = extractLuaStateNotes(stderr);
    expect(notes).toEqual(['_state["fn"] (function) was not persisted']);
    expect(rest).toBe("warning: x\nlua: boom\n");
  });

  it("returns stderr unchanged when there are no notes", () => {
    expect(extractLuaStateNotes("plain\n")).toEqual({ stderr: "plain\n", notes: [] });
  });

  it("loads saved state in text mode with an empty environment", () => {
    // The saved file is data: loading it must not see the globals nor accept bytecode.
    expect(LUA_STATE_LIBRARY).toContain('load(src, "=_state", "t", {})');
    expect(LUA_STATE_LIBRARY).toContain(LUA_STATE_NOTE_PREFIX);
  });
});
