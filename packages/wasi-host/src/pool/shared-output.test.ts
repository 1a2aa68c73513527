import { describe, expect, it } from "vitest";
import { allocateSharedOutput, createOutputTail, readSharedOutput, SharedOutputPool, SharedOutputWriter } from "./shared-output.js";
import { Utf8Sanitizer } from "./utf8-sanitizer.js";

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
    const buffer = allocateSharedOutput(4);
    new SharedOutputWriter(buffer).write(new Uint8Array([0xff, 0xfe, 0xfd, 0xfc]));
    const { text, truncated } = readSharedOutput(buffer);
    expect(text).toBe("\uFFFD");
    expect(truncated).toBe(true);
  });

  it("keeps a complete 4-byte character that ends exactly at the cap", () => {
    const buffer = allocateSharedOutput(5);
    new SharedOutputWriter(buffer).write(utf8("a😀b"));
    expect(readSharedOutput(buffer).text).toBe("a😀");
  });

  it("joins a character split across writes and replaces one left incomplete at the end", () => {
    const buffer = allocateSharedOutput(64);
    const writer = new SharedOutputWriter(buffer);
    const bytes = utf8("é✓");
    writer.write(bytes.subarray(0, 1));
    writer.write(bytes.subarray(1, 3));
    writer.write(bytes.subarray(3));
    writer.write(new Uint8Array([0xe2, 0x9c]));
    writer.end();
    expect(readSharedOutput(buffer).text).toBe("é✓\uFFFD");
  });

  it("streams the text written since the last look, in whole characters", () => {
    const buffer = allocateSharedOutput(64);
    const writer = new SharedOutputWriter(buffer);
    const tail = createOutputTail(buffer);
    writer.write(utf8("one "));
    expect(tail()).toBe("one ");
    expect(tail()).toBe("");
    writer.write(utf8("✓"));
    writer.write(utf8(" two"));
    expect(tail()).toBe("✓ two");
  });
});

describe("Utf8Sanitizer", () => {
  const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
  const cases: number[][] = [
    [0xff],
    [0xc0, 0x80],
    [0xe0, 0x80, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf0, 0x9f, 0x98],
    [0x61, 0xe2, 0x28, 0xa1, 0x62],
    [0xf0, 0x9f, 0x98, 0x80, 0x80, 0xc3],
  ];
  it.each(cases.map((c) => [c.map((b) => b.toString(16)).join(" "), c] as const))("replaces %s exactly as TextDecoder does", (_name, bytes) => {
    const input = Uint8Array.from(bytes);
    const s = new Utf8Sanitizer();
    const out = [...s.push(input), ...s.end()];
    expect(decode(Uint8Array.from(out))).toBe(decode(input));
  });

  it("matches TextDecoder on random bytes cut into random chunks", () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const input = Uint8Array.from({ length: rand(64) }, () => (rand(4) === 0 ? rand(128) : 0x80 + rand(128)));
      const s = new Utf8Sanitizer();
      const out: number[] = [];
      for (let i = 0; i < input.length; ) {
        const n = 1 + rand(5);
        out.push(...s.push(input.subarray(i, i + n)));
        i += n;
      }
      out.push(...s.end());
      expect(decode(Uint8Array.from(out))).toBe(decode(input));
    }
  });

  it("a reused buffer shows the next run nothing of the run before it (attack: a long output read back by a shorter one)", () => {
    const pool = new SharedOutputPool(2);
    const first = pool.take(64);
    const writer = new SharedOutputWriter(first);
    writer.write(utf8("secret of session A, quite long"));
    writer.write(utf8("x".repeat(100)));
    expect(readSharedOutput(first).truncated).toBe(true);
    pool.give(first);
    const second = pool.take(64);
    expect(second).toBe(first);
    expect(readSharedOutput(second)).toEqual({ text: "", truncated: false });
    const tail = createOutputTail(second);
    new SharedOutputWriter(second).write(utf8("B"));
    expect(tail()).toBe("B");
    expect(readSharedOutput(second)).toEqual({ text: "B", truncated: false });
  });

  it("keeps at most its bound of buffers, each once, and matches them by size", () => {
    const pool = new SharedOutputPool(2);
    const [a, b, c] = [pool.take(16), pool.take(16), pool.take(32)];
    pool.give(a);
    pool.give(a);
    pool.give(b);
    pool.give(c);
    expect(pool.size).toBe(2);
    expect(pool.take(32)).not.toBe(c);
    expect([a, b]).toContain(pool.take(16));
    expect(pool.size).toBe(1);
  });
});
