import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { instrumentCached } from "./instrument-cached.js";
import { wat } from "../meter/test-support.js";
import { resolveCacheDir } from "./cache-dir.js";
import { entryPaths, openCacheEntry, readCacheEntry } from "./module-cache.js";
import { asIfSettled, pinTimes, replaceKeepingTimes, rewriteKeepingTimes } from "./test-rewrite.js";
import { verifiedStampPath } from "./verified-stamp.js";

const root = mkdtempSync(join(tmpdir(), "meter-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const source = wat(`(module (memory 1)
  (func (export "sum") (param $n i32) (result i32) (local $s i32)
    (loop $l
      local.get $s local.get $n i32.add local.set $s
      local.get $n i32.const 1 i32.sub local.tee $n
      br_if $l)
    local.get $s))`);

/** Instantiates instrumented bytes and checks they compute and meter correctly. */
async function runsCorrectly(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  const fuel = instance.exports["__llm_fuel"] as WebAssembly.Global;
  fuel.value = 1000n;
  expect((instance.exports["sum"] as (n: number) => number)(10)).toBe(55);
  expect(1000n - (fuel.value as bigint)).toBe(91n); // 10 iterations x 9 operators + local.get
}

function freshDir(label: string): string {
  return mkdtempSync(join(root, `${label}-`));
}

describe("instrumented-module disk cache", () => {
  it("instruments on a miss, then serves the same bytes from disk", async () => {
    const cacheDir = freshDir("hit");
    const first = await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
    expect(first.source).toBe("instrumented");
    const second = await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
    expect(second.source).toBe("disk-cache");
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(second.meta).toEqual(first.meta);
    await runsCorrectly(second.bytes);
  });

  const corruptions: Array<[string, (paths: { wasm: string; json: string }) => void]> = [
    ["a truncated module file", (p) => truncateSync(p.wasm, 20)],
    [
      "a flipped byte in the module file",
      (p) => {
        const b = readFileSync(p.wasm);
        b[b.length - 3] = (b[b.length - 3] ?? 0) ^ 0x01;
        writeFileSync(p.wasm, b);
      },
    ],
    ["a deleted sidecar", (p) => unlinkSync(p.json)],
    ["an unparsable sidecar", (p) => writeFileSync(p.json, "{ not json")],
    ["a sidecar with the wrong key", (p) => writeFileSync(p.json, readFileSync(p.json, "utf8").replace(/"key": "[0-9a-f]/, '"key": "x'))],
    ["a deleted module file", (p) => unlinkSync(p.wasm)],
  ];
  for (const [what, corrupt] of corruptions) {
    it(`detects ${what}, deletes it, rebuilds and runs correctly`, async () => {
      const cacheDir = freshDir("corrupt");
      const built = await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
      const paths = entryPaths(cacheDir, "sum.wasm", built.meta.key);
      corrupt(paths);
      const rebuilt = await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
      expect(rebuilt.source).toBe("instrumented");
      expect(Buffer.from(rebuilt.bytes).equals(Buffer.from(built.bytes))).toBe(true);
      await runsCorrectly(rebuilt.bytes);
      // The rebuilt entry is whole again.
      const again = await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
      expect(again.source).toBe("disk-cache");
    });
  }

  it("deletes a corrupt entry on read instead of returning it", async () => {
    const cacheDir = freshDir("delete");
    const built = await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
    const paths = entryPaths(cacheDir, "sum.wasm", built.meta.key);
    truncateSync(paths.wasm, 100);
    expect(await readCacheEntry(cacheDir, "sum.wasm", built.meta.key)).toBe("corrupt");
    expect(existsSync(paths.wasm)).toBe(false);
    expect(existsSync(paths.json)).toBe(false);
  });

  /** An entry built, then read once with its checksum passing: it has a verified stamp. */
  async function stampedEntry(label: string): Promise<{ cacheDir: string; key: string; paths: { wasm: string; json: string }; bytes: Uint8Array }> {
    const cacheDir = freshDir(label);
    const built = await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
    const paths = entryPaths(cacheDir, "sum.wasm", built.meta.key);
    expect(existsSync(verifiedStampPath(paths.wasm))).toBe(false); // written, never read: not verified yet
    pinTimes(paths.wasm);
    // Read right after it was written, it is verified but not stamped (a coarse clock could hide a change in the same tick).
    expect(typeof (await readCacheEntry(cacheDir, "sum.wasm", built.meta.key))).toBe("object");
    expect(existsSync(verifiedStampPath(paths.wasm))).toBe(false);
    expect(typeof (await asIfSettled(() => readCacheEntry(cacheDir, "sum.wasm", built.meta.key)))).toBe("object");
    expect(existsSync(verifiedStampPath(paths.wasm))).toBe(true);
    return { cacheDir, key: built.meta.key, paths, bytes: built.bytes };
  }

  /** The module's bytes with one bit flipped in its last byte (same size). */
  const flipped = (bytes: Uint8Array): Uint8Array => {
    const out = bytes.slice();
    out[out.length - 1] = (out[out.length - 1] as number) ^ 0x01;
    return out;
  };

  it("stamps an entry whose checksum passed; the next reader trusts the unchanged file without hashing it (bit rot under an unchanged stat is not re-detected)", async () => {
    const { cacheDir, key, paths, bytes } = await stampedEntry("stamp");
    const again = await openCacheEntry(cacheDir, "sum.wasm", key);
    if (typeof again !== "object") throw new Error(`expected an entry, got ${again}`);
    expect(again.verify()).toBe(true);
    // Silent media corruption: other bytes under the stat the stamp holds (re-bound here, since a write moves it).
    writeFileSync(paths.wasm, flipped(bytes));
    const stamp = JSON.parse(readFileSync(verifiedStampPath(paths.wasm), "utf8")) as Record<string, unknown>;
    const { size, mtimeMs, ctimeMs, ino, dev } = statSync(paths.wasm);
    writeFileSync(verifiedStampPath(paths.wasm), JSON.stringify({ ...stamp, size, mtimeMs, ctimeMs, ino, dev }));
    const rotten = await openCacheEntry(cacheDir, "sum.wasm", key);
    if (typeof rotten !== "object") throw new Error(`expected an entry, got ${rotten}`);
    expect(rotten.verify()).toBe(true);
  });

  const changes: Array<[string, (paths: { wasm: string; json: string }, bytes: Uint8Array) => void]> = [
    ["rewritten in place with the same size and its times put back (the ctime moved)", (p, bytes) => rewriteKeepingTimes(p.wasm, flipped(bytes))],
    ["replaced by rename with the same size and times (another inode)", (p, bytes) => replaceKeepingTimes(p.wasm, flipped(bytes))],
    ["truncated", (p) => truncateSync(p.wasm, 20)],
  ];
  for (const [what, change] of changes) {
    it(`hashes a stamped entry again once its module was ${what}: found corrupt, deleted with its stamp, rebuilt`, async () => {
      const { cacheDir, key, paths, bytes } = await stampedEntry("changed");
      change(paths, bytes);
      expect(await readCacheEntry(cacheDir, "sum.wasm", key)).toBe("corrupt");
      expect(existsSync(paths.wasm)).toBe(false);
      expect(existsSync(verifiedStampPath(paths.wasm))).toBe(false);
      const rebuilt = await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
      expect(rebuilt.source).toBe("instrumented");
      await runsCorrectly(rebuilt.bytes);
    });
  }

  it("keys entries by options, so exportMutableGlobals gets its own entry", async () => {
    const cacheDir = freshDir("options");
    const plain = await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
    const withGlobals = await instrumentCached(await source, { cacheDir, name: "sum.wasm", exportMutableGlobals: true });
    expect(withGlobals.meta.key).not.toBe(plain.meta.key);
    expect(withGlobals.source).toBe("instrumented");
  });

  it("still loads when the cache directory cannot be written", async () => {
    const file = join(root, "not-a-dir");
    writeFileSync(file, "x");
    const res = await instrumentCached(await source, { cacheDir: join(file, "cache"), name: "sum.wasm" });
    expect(res.source).toBe("instrumented");
    await runsCorrectly(res.bytes);
  });

  it("leaves no temp files behind", async () => {
    const cacheDir = freshDir("tmp");
    await instrumentCached(await source, { cacheDir, name: "sum.wasm" });
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(readdirSync(cacheDir).sort()).toHaveLength(2);
  });
});

describe("resolveCacheDir", () => {
  it("prefers the option, then LLM_SANDBOX_CACHE_DIR, then XDG_CACHE_HOME", () => {
    expect(resolveCacheDir("/x", { LLM_SANDBOX_CACHE_DIR: "/y" })).toBe("/x");
    expect(resolveCacheDir(undefined, { LLM_SANDBOX_CACHE_DIR: "/y", XDG_CACHE_HOME: "/z" })).toBe("/y");
    expect(resolveCacheDir(undefined, { XDG_CACHE_HOME: "/z" })).toBe(join("/z", "llm-wasm-sandbox"));
    expect(resolveCacheDir(undefined, {})).toMatch(/\.cache[\\/]llm-wasm-sandbox$/);
  });
});
