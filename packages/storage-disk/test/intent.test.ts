/**
 * The v2 intent of a small commit is its own commit point: only a complete record
 * whose checksum verifies may be rolled forward. Every way a write can be cut
 * short or a power cut can damage it must read as torn.
 */
import { testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { decodeIntent, encodeInlineIntent, type InlineIntent } from "../src/intent.js";

const text = (s: string) => new TextEncoder().encode(s);

const intent: InlineIntent = {
  removals: [{ path: "old", type: "directory" }],
  mkdirs: ["new"],
  writes: [
    { path: "a.txt", staged: "s0" },
    { path: "new/b.bin", staged: "s1" },
  ],
  metadata: { ...testSessionMetadata("s"), version: 4, sizeBytes: 8, fileCount: 2 },
  data: [text("hello"), Uint8Array.from([0, 255, 7])],
  record: { name: "a".repeat(64) },
  recordData: text('{"r":1}'),
};

describe("v2 intent (a small commit's self-contained, checksummed record)", () => {
  const bytes = encodeInlineIntent(intent);

  it("round-trips every field and every byte", () => {
    const found = decodeIntent(bytes);
    expect(found.kind).toBe("v2");
    if (found.kind !== "v2") return;
    expect({ ...found.intent, data: found.intent.data.map((d) => [...d]), recordData: [...(found.intent.recordData ?? [])] }).toEqual({
      ...intent,
      data: intent.data.map((d) => [...d]),
      recordData: [...(intent.recordData ?? [])],
    });
  });

  it("is torn when cut at any byte boundary (a write or a power cut that stopped part-way)", () => {
    for (let at = 0; at < bytes.length; at++) expect(decodeIntent(bytes.subarray(0, at)).kind, `cut at ${at}`).toBe("torn");
  });

  it("is torn when any byte after the first is damaged, or its tail is zeros (blocks a power cut never wrote)", () => {
    for (let at = 1; at < bytes.length; at++) {
      const damaged = Uint8Array.from(bytes);
      damaged[at] = (damaged[at] as number) ^ 0x01;
      expect(decodeIntent(damaged).kind, `bit flipped at ${at}`).toBe("torn");
      const zeroed = Uint8Array.from(bytes);
      zeroed.fill(0, at);
      if (!zeroed.every((b, i) => b === bytes[i])) expect(decodeIntent(zeroed).kind, `zeros from ${at}`).toBe("torn");
    }
    expect(decodeIntent(new Uint8Array(bytes.length)).kind).toBe("torn");
  });

  it("is never taken for a v1 (JSON) intent, and a damaged v1 intent is an error, not a roll-back", () => {
    expect(bytes[0]).not.toBe(0x7b);
    const v1 = { removals: [], mkdirs: [], writes: [{ path: "a.txt", staged: "s0" }], metadata: intent.metadata };
    expect(decodeIntent(text(JSON.stringify({ version: 1, ...v1 })))).toMatchObject({ kind: "v1", intent: v1 });
    expect(() => decodeIntent(text(JSON.stringify(v1).slice(0, 20)))).toThrow();
  });

  it("refuses a verified record whose paths or staged names a plan could not hold (planted by hand)", () => {
    for (const bad of [{ writes: [{ path: "../escape", staged: "s0" }] }, { writes: [{ path: "a.txt", staged: "../../x" }] }, { mkdirs: ["/abs"] }]) {
      const planted = encodeInlineIntent({ ...intent, writes: intent.writes.slice(0, 1), data: intent.data.slice(0, 1), ...bad });
      expect(decodeIntent(planted).kind, JSON.stringify(bad)).toBe("torn");
    }
  });
});
