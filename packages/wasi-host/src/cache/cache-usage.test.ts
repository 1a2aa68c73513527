import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { markCacheEntryUsed, marksSettled } from "./cache-usage.js";

const root = mkdtempSync(join(tmpdir(), "cache-usage-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("markCacheEntryUsed / marksSettled", () => {
  it("a mark left unawaited is written by the time marksSettled resolves (access time only)", async () => {
    const file = join(root, "entry.wasm");
    writeFileSync(file, "x");
    const old = new Date("2020-01-01T00:00:00Z");
    utimesSync(file, old, old);
    const now = Date.now();
    void markCacheEntryUsed(file, now);
    await marksSettled();
    const st = statSync(file);
    expect(Math.abs(st.atimeMs - now)).toBeLessThan(1000);
    expect(st.mtimeMs).toBe(old.getTime());
  });

  it("settles when a marked path is missing or nothing is in flight", async () => {
    void markCacheEntryUsed(join(root, "missing.wasm"));
    await expect(marksSettled()).resolves.toBeUndefined();
    await expect(marksSettled()).resolves.toBeUndefined();
  });
});
