import { describe, expect, it } from "vitest";
import { clipHeadTail } from "./clip.js";

const bytes = (s: string) => Buffer.byteLength(s);

describe("clipHeadTail", () => {
  it("returns short text unchanged", () => {
    expect(clipHeadTail("hello\n", 100, "x")).toEqual({ text: "hello\n", totalBytes: 6, omittedBytes: 0 });
  });

  it("keeps the head and the tail within the budget and says what was left out", () => {
    const text = `${"a".repeat(5000)}${"z".repeat(5000)}`;
    const c = clipHeadTail(text, 1000, "see /app/.outputs/1.txt");
    expect(c.totalBytes).toBe(10_000);
    expect(c.omittedBytes).toBe(9000);
    expect(c.text.startsWith("a".repeat(500))).toBe(true);
    expect(c.text.endsWith("z".repeat(500))).toBe(true);
    expect(c.text).toContain("9,000 of 10,000 bytes omitted here; see /app/.outputs/1.txt");
  });

  it("cuts on line boundaries when one is near", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${String(i).padStart(3, "0")}`).join("\n");
    const c = clipHeadTail(lines, 400, "x");
    const [head, tail] = c.text.split(/\[….*…\]\n/);
    expect(head!.endsWith("\n")).toBe(true);
    expect(head!.trimEnd().split("\n").every((l) => /^line \d{3}$/.test(l))).toBe(true);
    expect(tail!.split("\n").every((l) => /^line \d{3}$/.test(l))).toBe(true);
  });

  it("never splits a multi-byte character", () => {
    const text = "é€😀".repeat(2000);
    const c = clipHeadTail(text, 999, "x");
    expect(c.text).not.toContain("\uFFFD");
    expect(bytes(c.text.split("\n[")[0]!)).toBeLessThanOrEqual(500);
    expect(c.omittedBytes + bytes(c.text.replace(/\n?\[….*…\]\n/, ""))).toBe(bytes(text));
  });
});
