import { describe, expect, it } from "vitest";
import { PAGE_BYTES, captureImage, diffPages, restoreImage } from "./memory-image.js";

describe("diffPages", () => {
  it("finds only the pages that differ from the fresh memory, merged into runs", () => {
    const fresh = new Uint8Array(4 * PAGE_BYTES);
    fresh[10] = 1; // a data segment the guest never changed
    const current = new Uint8Array(6 * PAGE_BYTES);
    current.set(fresh);
    current[PAGE_BYTES + 5] = 7; // page 1 changed
    current[2 * PAGE_BYTES + 9] = 7; // page 2 changed
    current[5 * PAGE_BYTES + 1] = 3; // page 5: grown and written
    expect(diffPages(current, fresh)).toEqual([
      { start: PAGE_BYTES, end: 3 * PAGE_BYTES },
      { start: 5 * PAGE_BYTES, end: 6 * PAGE_BYTES },
    ]);
  });

  it("counts a page the guest zeroed as changed", () => {
    const fresh = new Uint8Array(PAGE_BYTES);
    fresh[100] = 9;
    expect(diffPages(new Uint8Array(PAGE_BYTES), fresh)).toEqual([{ start: 0, end: PAGE_BYTES }]);
  });

  it("rejects sizes that are not whole pages", () => {
    expect(() => diffPages(new Uint8Array(100), new Uint8Array(0))).toThrow(RangeError);
  });
});

describe("captureImage / restoreImage", () => {
  it("restores a fresh memory to the captured state, growing it", () => {
    const freshMem = new WebAssembly.Memory({ initial: 2, maximum: 8 });
    new Uint8Array(freshMem.buffer)[3] = 42; // what instantiation wrote
    const fresh = new Uint8Array(freshMem.buffer).slice();
    const live = new WebAssembly.Memory({ initial: 2, maximum: 8 });
    new Uint8Array(live.buffer).set(fresh);
    live.grow(2);
    const bytes = new Uint8Array(live.buffer);
    bytes[3] = 0;
    bytes[PAGE_BYTES * 3 + 17] = 5;
    const image = captureImage(bytes, fresh, { __llm_global_0: 16, __llm_global_1: 5n });
    expect(image.data.byteLength).toBe(2 * PAGE_BYTES); // page 0 and page 3 only

    const target = new WebAssembly.Memory({ initial: 2, maximum: 8 });
    new Uint8Array(target.buffer).set(fresh);
    restoreImage(target, image);
    expect(target.buffer.byteLength).toBe(4 * PAGE_BYTES);
    expect(Buffer.compare(new Uint8Array(target.buffer), bytes)).toBe(0);
  });

  it("throws a RangeError when the memory cap is below the image", () => {
    const image = captureImage(new Uint8Array(4 * PAGE_BYTES), new Uint8Array(PAGE_BYTES), {});
    expect(() => restoreImage(new WebAssembly.Memory({ initial: 1, maximum: 2 }), image)).toThrow(RangeError);
  });
});
