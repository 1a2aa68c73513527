import { describe, expect, it } from "vitest";
import { CappedSink } from "./output-sink.js";

describe("CappedSink", () => {
  it("keeps exactly maxBytes and flags truncation", () => {
    const sink = new CappedSink(5);
    sink.write(new TextEncoder().encode("abc"));
    expect(sink.truncated).toBe(false);
    sink.write(new TextEncoder().encode("defgh"));
    expect(sink.text()).toBe("abcde");
    expect(sink.truncated).toBe(true);
    expect(sink.droppedBytes).toBe(3);
  });

  it("does not show half a UTF-8 character cut by the cap", () => {
    const sink = new CappedSink(4);
    sink.write(new TextEncoder().encode("ab€"));
    expect(sink.bytes().length).toBe(4);
    expect(sink.text()).toBe("ab");
  });

  it("with a zero cap keeps nothing but still counts", () => {
    const sink = new CappedSink(0);
    sink.write(new Uint8Array(10));
    expect(sink.bytes().length).toBe(0);
    expect(sink.droppedBytes).toBe(10);
  });

  it("rejects a negative cap", () => {
    expect(() => new CappedSink(-1)).toThrow(RangeError);
  });
});
