import { describe, expect, it } from "vitest";
import { decodeSource } from "./source.js";

const MAX = 32 * 1024 * 1024;

describe("decodeSource", () => {
  it("decodes base64 of a binary, whitespace and line breaks allowed", async () => {
    const b64 = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]).toString("base64");
    const src = await decodeSource(`  ${b64.slice(0, 4)}\n${b64.slice(4)}  `, MAX);
    expect(src).toMatchObject({ kind: "module", from: "base64" });
  });

  it("refuses base64 that is not a WebAssembly binary", async () => {
    expect(await decodeSource(Buffer.from("hello world!").toString("base64"), MAX)).toMatchObject({ kind: "error" });
  });

  // Attack: a crafted base64-looking input once made the detection regex backtrack
  // quadratically (12.8 s of host time for 80 k spaces); this input is 4× larger.
  it("classifies whitespace-padded non-base64 input in linear time (ReDoS attack)", { timeout: 10_000 }, async () => {
    const src = await decodeSource(`A${" ".repeat(320_000)}!`, MAX);
    expect(src.kind).toBe("error");
  });
});
