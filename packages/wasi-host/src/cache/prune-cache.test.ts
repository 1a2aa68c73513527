import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { markCacheEntryUsed } from "./cache-usage.js";
import { pruneCache, pruneCacheIfDue } from "./prune-cache.js";

const DAY = 24 * 60 * 60 * 1000;
const root = mkdtempSync(join(tmpdir(), "prune-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A cache dir holding `files` (relative path → age in days), each of 10 bytes. */
function cacheWith(files: Record<string, number>, now: number): string {
  const dir = join(root, `c${n++}`);
  for (const [name, ageDays] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, "0123456789");
    const t = new Date(now - ageDays * DAY);
    utimesSync(path, t, t);
  }
  return dir;
}

function age(path: string, days: number, now: number): void {
  const t = new Date(now - days * DAY);
  utimesSync(path, t, t);
}

describe("pruneCache", () => {
  const now = Date.now();

  it("deletes entries unused for longer than the age, keeps the rest, and counts the bytes", async () => {
    const dir = cacheWith({ "old-a.wasm": 40, "old-a.json": 40, "new-b.wasm": 2, "snapshots/old.snap": 31, "snapshots/new.snap": 1, "source-stamps/x.json": 90 }, now);
    const result = await pruneCache({ cacheDir: dir, maxAgeMs: 30 * DAY, now });
    expect(result.removed.map((e) => e.name).sort()).toEqual(["old-a.json", "old-a.wasm", "snapshots/old.snap", "source-stamps/x.json"]);
    expect(result.freedBytes).toBe(40);
    expect(result.keptBytes).toBe(20);
    expect(existsSync(join(dir, "new-b.wasm"))).toBe(true);
    expect(existsSync(join(dir, "snapshots/new.snap"))).toBe(true);
    expect(existsSync(join(dir, "old-a.wasm"))).toBe(false);
    expect(existsSync(join(dir, "snapshots"))).toBe(true);
  });

  it("a dry run reports the same entries and deletes nothing", async () => {
    const dir = cacheWith({ "old.wasm": 40, "new.wasm": 1 }, now);
    const result = await pruneCache({ cacheDir: dir, maxAgeMs: 30 * DAY, now, dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.removed.map((e) => e.name)).toEqual(["old.wasm"]);
    expect(existsSync(join(dir, "old.wasm"))).toBe(true);
  });

  it("removes an old directory entry whole (renamed away first) and measures its tree", async () => {
    const dir = cacheWith({ "python-stdlib-v1/lib/a.py": 0, "python-stdlib-v1/lib/sub/b.py": 0, "python-stdlib-v1/complete": 0 }, now);
    age(join(dir, "python-stdlib-v1"), 60, now);
    const result = await pruneCache({ cacheDir: dir, maxAgeMs: 30 * DAY, now });
    expect(result.removed).toEqual([{ name: "python-stdlib-v1", bytes: 30, ageDays: 60 }]);
    expect(existsSync(join(dir, "python-stdlib-v1"))).toBe(false);
    expect((await pruneCache({ cacheDir: dir, now })).removed).toEqual([]);
  });

  it("an entry read recently (access time) is kept even when written long ago", async () => {
    const dir = cacheWith({ "used.wasm": 100 }, now);
    const file = join(dir, "used.wasm");
    const mtime = statSync(file).mtimeMs;
    await markCacheEntryUsed(file, now);
    expect(statSync(file).mtimeMs).toBe(mtime); // the mark leaves the modification time alone
    const result = await pruneCache({ cacheDir: dir, maxAgeMs: 30 * DAY, now });
    expect(result.removed).toEqual([]);
  });

  it("keeps a module file that a fresh source stamp points at, however old the file", async () => {
    const dir = cacheWith({ "pyodide-filtered.asm.wasm": 100, "orphan.asm.wasm": 100 }, now);
    mkdirSync(join(dir, "source-stamps"));
    writeFileSync(join(dir, "source-stamps", "s.json"), JSON.stringify({ format: 1, path: join(dir, "pyodide-filtered.asm.wasm") }));
    const result = await pruneCache({ cacheDir: dir, maxAgeMs: 30 * DAY, now });
    expect(result.removed.map((e) => e.name)).toEqual(["orphan.asm.wasm"]);
  });

  it("a stamp pointing outside the cache protects nothing there, and a damaged stamp is harmless", async () => {
    const dir = cacheWith({ "a.wasm": 100, "source-stamps/bad.json": 0 }, now);
    writeFileSync(join(dir, "source-stamps", "out.json"), JSON.stringify({ format: 1, path: "/etc/passwd" }));
    const result = await pruneCache({ cacheDir: dir, maxAgeMs: 30 * DAY, now });
    expect(result.removed.map((e) => e.name)).toEqual(["a.wasm"]);
    expect(existsSync("/etc/passwd")).toBe(true);
  });

  it("leaves a write in progress alone for a day, then removes its leftovers; always removes an interrupted prune's", async () => {
    const dir = cacheWith({ "x.wasm.123.abc.tmp": 0.5, "y.bin.9.1.tmp": 2, ".prune-1234/a": 0 }, now);
    const result = await pruneCache({ cacheDir: dir, maxAgeMs: 30 * DAY, now });
    expect(result.removed.map((e) => e.name).sort()).toEqual([".prune-1234", "y.bin.9.1.tmp"]);
    expect(existsSync(join(dir, "x.wasm.123.abc.tmp"))).toBe(true);
  });

  it("a missing cache directory is an empty one", async () => {
    expect(await pruneCache({ cacheDir: join(root, "absent"), now })).toEqual({ dryRun: false, removed: [], freedBytes: 0, keptBytes: 0, failed: [] });
  });
});

describe("pruneCacheIfDue", () => {
  it("starts the clock on a cache never pruned, then prunes at most once a day", async () => {
    const now = Date.now();
    const dir = cacheWith({ "old.wasm": 100 }, now);
    expect(await pruneCacheIfDue(dir, 30 * DAY, now)).toBeNull();
    expect(existsSync(join(dir, "old.wasm"))).toBe(true);
    expect(await pruneCacheIfDue(dir, 30 * DAY, now + DAY / 2)).toBeNull();
    const marker = join(dir, ".last-prune");
    age(marker, 2, now);
    const result = await pruneCacheIfDue(dir, 30 * DAY, now);
    expect(result?.removed.map((e) => e.name)).toEqual(["old.wasm"]);
    expect(await pruneCacheIfDue(dir, 30 * DAY, now)).toBeNull();
  });
});
