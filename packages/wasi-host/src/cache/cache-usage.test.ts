import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { markCacheEntryUsed, marksSettled, TOUCH_INTERVAL_MS } from "./cache-usage.js";

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

  it("leaves an entry used less than TOUCH_INTERVAL_MS ago alone, even from a new thread (no utimes: its ctime, and so a verified stamp, stays)", async () => {
    const file = join(root, "recent.wasm");
    writeFileSync(file, "x");
    const now = Date.now();
    const recent = new Date(now - TOUCH_INTERVAL_MS / 2);
    utimesSync(file, recent, new Date("2020-01-01T00:00:00Z"));
    const ctimeBefore = statSync(file).ctimeMs;
    // `now` past this thread's own throttle for the path: only the file's access time can hold the mark back.
    void markCacheEntryUsed(file, now);
    await marksSettled();
    const st = statSync(file);
    expect(Math.abs(st.atimeMs - recent.getTime())).toBeLessThan(1);
    expect(st.ctimeMs).toBe(ctimeBefore);
    // An hour later it is marked again.
    void markCacheEntryUsed(file, now + TOUCH_INTERVAL_MS);
    await marksSettled();
    expect(Math.abs(statSync(file).atimeMs - (now + TOUCH_INTERVAL_MS))).toBeLessThan(1);
  });

  it("settles when a marked path is missing or nothing is in flight", async () => {
    void markCacheEntryUsed(join(root, "missing.wasm"));
    await expect(marksSettled()).resolves.toBeUndefined();
    await expect(marksSettled()).resolves.toBeUndefined();
  });
});
