import { createContext, runInContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { SKIPPED_MARKER, STATE_FILE, STATE_GUEST_PATH, STATE_PERSIST_JS, extractStateNotes, skippedLine, type SavedState } from "./javascript.js";

interface Persist {
  load(text: string | null): unknown;
  save(value: unknown): string;
}

// The guest source is plain ES5; a Node vm context stands in for QuickJS here. Values
// are built inside that context too, so `instanceof Map` sees the guest's own classes.
const guest = createContext({});
const persist = runInContext(STATE_PERSIST_JS, guest) as Persist;
const inGuest = (expr: string): unknown => runInContext(`(${expr})`, guest);
const save = (v: unknown): SavedState => JSON.parse(persist.save(v)) as SavedState;

describe("javascript state persistence", () => {
  it("keeps its file under the internal directory", () => {
    expect(STATE_FILE.startsWith(".llm-sandbox/")).toBe(true);
    expect(STATE_GUEST_PATH).toBe(`/app/${STATE_FILE}`);
  });

  it("round-trips JSON values unchanged and reports nothing", () => {
    const value = { counter: 3, name: "x", nested: { list: [1, "two", null, true] } };
    const saved = save(inGuest(JSON.stringify(value)));
    expect(saved.skipped).toEqual([]);
    expect(persist.load(JSON.stringify(saved.state))).toEqual(value);
  });

  it("reports functions, symbols, bigints and undefined instead of dropping them silently", () => {
    const saved = save(inGuest(`{ keep: 1, f: () => 1, s: Symbol("x"), b: 10n, u: undefined }`));
    expect(saved.state).toEqual({ keep: 1 });
    expect(saved.skipped).toEqual(["_state.f: function", "_state.s: symbol", "_state.b: bigint", "_state.u: undefined"]);
  });

  it("reports Maps, Sets, circular references and non-finite numbers", () => {
    const saved = save(inGuest(`(function () {
      var circ = { a: 1 };
      circ.self = circ;
      return { m: new Map([[1, 2]]), set: new Set([1]), circ: circ, n: NaN, inf: [Infinity] };
    })()`));
    expect(saved.state).toEqual({ circ: { a: 1 }, n: null, inf: [null] });
    expect(saved.skipped.some((s) => s.startsWith("_state.m: Map"))).toBe(true);
    expect(saved.skipped.some((s) => s.startsWith("_state.set: Set"))).toBe(true);
    expect(saved.skipped).toContain("_state.circ.self: circular reference");
    expect(saved.skipped).toContain("_state.n: NaN (saved as null)");
  });

  it("saves class instances as plain objects and says the class is lost", () => {
    const saved = save(inGuest(`(function () {
      class Point { constructor(x, y) { this.x = x; this.y = y; } }
      return { p: new Point(1, 2), when: new Date(0) };
    })()`));
    expect(saved.state).toEqual({ p: { x: 1, y: 2 }, when: "1970-01-01T00:00:00.000Z" });
    expect(saved.skipped).toEqual(["_state.p: Point instance (saved as a plain object, its class is lost)"]);
  });

  it("replaces a _state that is not an object with {} and says so", () => {
    expect(save(5)).toEqual({ state: {}, skipped: ["_state: number (it must be an object; saved as {})"] });
    expect(save(inGuest("[1]"))).toEqual({ state: {}, skipped: ["_state: an array (it must be an object; saved as {})"] });
  });

  it("loads an empty, corrupt or non-object state file as {}", () => {
    expect(persist.load(null)).toEqual({});
    expect(persist.load("")).toEqual({});
    expect(persist.load("{not json")).toEqual({});
    expect(persist.load("[1,2]")).toEqual([1, 2]);
    expect(persist.load("42")).toEqual({});
  });

  it("moves the skipped line from stderr into notes", () => {
    const stderr = `warning: x\n${skippedLine(["_state.f: function"])}`;
    const { stderr: rest, notes } = extractStateNotes(stderr);
    expect(rest).toBe("warning: x\n");
    expect(notes).toEqual(["Not persisted as-is in _state (not JSON): _state.f: function"]);
  });

  it("keeps lines that only look like the marker", () => {
    const stderr = `${SKIPPED_MARKER} printed by the guest\n`;
    expect(extractStateNotes(stderr)).toEqual({ stderr, notes: [] });
    expect(skippedLine([])).toBe("");
  });
});
