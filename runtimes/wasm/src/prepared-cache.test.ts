import { describe, expect, it } from "vitest";
import { PreparedCache } from "./prepared-cache.js";

const entry = (name: string) => ({ kind: "module" as const, image: { name } as never });

describe("PreparedCache", () => {
  // Attack: 8 distinct 7 MB modules once held +1 GB in a cache bounded only by count.
  it("holds at most its byte budget however many large modules pass through it", () => {
    const cache = new PreparedCache(100);
    for (let i = 0; i < 8; i++) cache.set(`m${i}`, entry(`m${i}`), 40);
    expect(cache.bytes).toBeLessThanOrEqual(100);
    expect(cache.keys()).toEqual(["m6", "m7"]);
  });

  it("evicts the least recently used first, and keeps nothing larger than the budget", () => {
    const cache = new PreparedCache(100);
    cache.set("a", entry("a"), 30);
    cache.set("b", entry("b"), 30);
    cache.set("c", entry("c"), 30);
    expect(cache.get("a")).toBeDefined(); // a is now the most recent
    cache.set("d", entry("d"), 30);
    expect(cache.keys()).toEqual(["c", "a", "d"]);
    cache.set("huge", entry("huge"), 101);
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.bytes).toBe(90);
  });

  it("replacing a key keeps the books exact", () => {
    const cache = new PreparedCache(100);
    cache.set("a", entry("a"), 60);
    cache.set("a", entry("a"), 10);
    expect(cache.bytes).toBe(10);
    cache.delete("a");
    expect([cache.bytes, cache.keys()]).toEqual([0, []]);
  });

  it("holds at most maxEntries entries however small", () => {
    const cache = new PreparedCache(1_000_000, 3);
    for (let i = 0; i < 10; i++) cache.set(`m${i}`, entry(`m${i}`), 1);
    expect(cache.keys()).toEqual(["m7", "m8", "m9"]);
    expect(cache.bytes).toBe(3);
  });
});
