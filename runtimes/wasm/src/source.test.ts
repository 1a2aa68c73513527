import { describe, expect, it } from "vitest";
import { DEFAULT_MODULE_LIMITS } from "./module-check.js";
import { decodeSource, watNestingDepth } from "./source.js";

const MAX = DEFAULT_MODULE_LIMITS;

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

  it("refuses WAT that nests deeper than the cap before parsing it (attack: 1.1M nested blocks)", async () => {
    const deep = `(module (func (export "_start") ${"(block ".repeat(1_100_000)}${")".repeat(1_100_000)}))`;
    const src = await decodeSource(deep, { ...MAX, maxWatBytes: 16 * 1024 * 1024 });
    expect(src).toEqual({ kind: "error", message: `the WAT text nests 1100002 levels deep; at most ${MAX.maxNestingDepth} levels of blocks are allowed` });
  });

  it("refuses WAT over maxWatBytes before parsing it", async () => {
    const src = await decodeSource(`(module ${";; padding\n".repeat(100)})`, { ...MAX, maxWatBytes: 500 });
    expect(src.kind).toBe("error");
    if (src.kind === "error") expect(src.message).toMatch(/^the WAT text is \d+ bytes; this sandbox accepts at most 500/);
  });
});

describe("watNestingDepth", () => {
  it("counts folded and flat nesting, not strings or comments", () => {
    expect(watNestingDepth("(module (func (block (loop (br 0)))))")).toBe(5);
    expect(watNestingDepth("(module (func block loop if end end end))")).toBe(5);
    expect(watNestingDepth('(module (data "(((((((((((") ;; ((((((((\n (; (((( (; nested ;) ((( ;) (func))')).toBe(2);
    expect(watNestingDepth("(module (func try_table block end end try delegate 0))")).toBe(4);
  });
});
