import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clipHeadTail } from "./clip-head-tail.js";

describe("clipHeadTail", () => {
  it("returns short text unchanged", () => {
    expect(clipHeadTail("hello\n", 100)).toEqual({ text: "hello\n", omittedChars: 0 });
  });

  it("keeps the head and the tail and names what was cut", () => {
    const text = "a".repeat(1000) + "b".repeat(1000);
    const r = clipHeadTail(text, 100);
    expect(r.omittedChars).toBe(1900);
    expect(r.text).toBe(`${"a".repeat(50)}\n[… 1,900 characters omitted …]\n${"b".repeat(50)}`);
  });

  it("cuts on line boundaries near the cut points", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${String(i).padStart(3, "0")}`).join("\n") + "\n";
    const r = clipHeadTail(lines, 200);
    const [head, tail] = r.text.split(/\[… [\d,]+ characters omitted …\]\n/);
    expect(head!.endsWith("\n")).toBe(true);
    for (const line of head!.trimEnd().split("\n")) expect(line).toMatch(/^line \d{3}$/);
    for (const line of tail!.trimEnd().split("\n")) expect(line).toMatch(/^line \d{3}$/);
    expect(tail!.endsWith("line 199\n")).toBe(true);
  });

  it("never splits a surrogate pair (attack: emoji flood cut at an odd offset)", () => {
    const r = clipHeadTail("😀".repeat(1000), 101);
    expect(r.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(r.text).not.toMatch(/(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it("keeps at most maxChars of the original plus one marker line, for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 3000 }), fc.integer({ min: 0, max: 2000 }), (text, max) => {
        const r = clipHeadTail(text, max);
        if (text.length <= max) return r.text === text && r.omittedChars === 0;
        const kept = text.length - r.omittedChars;
        const m = /\n?\[… ([\d,]+) characters omitted …\]\n?/.exec(r.text);
        return (
          kept <= max + 1 && // +1: a surrogate pair kept whole at the tail boundary
          m !== null &&
          Number(m[1]!.replaceAll(",", "")) === r.omittedChars &&
          text.startsWith(r.text.slice(0, m.index)) &&
          text.endsWith(r.text.slice(m.index + m[0].length))
        );
      }),
    );
  });
});
