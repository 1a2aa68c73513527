import { describe, expect, it } from "vitest";
import { allocateSharedOutput, decodeCapped, readSharedOutput, SharedOutputWriter } from "./shared-output.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("shared output", () => {
  it("keeps everything under the cap and reports no truncation", () => {
    const buffer = allocateSharedOutput(16);
    const writer = new SharedOutputWriter(buffer);
    writer.write(utf8("hello "));
    writer.write(utf8("world"));
    expect(readSharedOutput(buffer)).toEqual({ text: "hello world", truncated: false });
  });

  it("stops at the cap, flags truncation, and still tells the guest all bytes were written", () => {
    const buffer = allocateSharedOutput(5);
    const writer = new SharedOutputWriter(buffer);
    expect(writer.write(utf8("abcdefgh"))).toBe(8);
    expect(writer.write(utf8("more"))).toBe(4);
    expect(readSharedOutput(buffer)).toEqual({ text: "abcde", truncated: true });
  });

  it("cuts a multi-byte character at the cap instead of emitting half of it", () => {
    const buffer = allocateSharedOutput(4);
    new SharedOutputWriter(buffer).write(utf8("ab✓")); // ✓ is 3 bytes: only 2 fit
    const { text, truncated } = readSharedOutput(buffer);
    expect(text).toBe("ab");
    expect(truncated).toBe(true);
  });

  it("never exceeds the cap in UTF-8 bytes even for invalid input", () => {
    const invalid = new Uint8Array([0xff, 0xfe, 0xfd, 0xfc]);
    const text = decodeCapped(invalid, true, 4);
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(4);
  });

  it("keeps a complete 4-byte character that ends exactly at the cap", () => {
    expect(decodeCapped(utf8("a😀"), true, 5)).toBe("a😀");
  });
});
