import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { wat } from "../meter/test-support.js";
import type * as Fs from "node:fs";
import type * as FsPromises from "node:fs/promises";
import { cacheKey } from "./instrument-cached.js";
import type { PreparedImage } from "./prepare-image.js";
import { entryPaths, readCacheEntry, sha256 } from "./module-cache.js";
import { readSourceStamp, stampPath, writeSourceStamp } from "./source-stamp.js";

const root = mkdtempSync(join(tmpdir(), "source-stamp-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  vi.doUnmock("node:fs/promises");
  vi.doUnmock("node:fs");
  vi.resetModules();
});

const moduleReturning = (n: number) => wat(`(module (memory 1) (func (export "f") (result i32) i32.const ${n}))`);

type Loaded = { hash: string; module: WebAssembly.Module; fuelExport: string };
type Load = (path: string, options: { cacheDir: string }) => Promise<Loaded>;

/**
 * A fresh copy of loadModule's worker side (cache/prepare-image.ts, which does every read
 * in a pool thread), as a new process would have, recording file reads (the cache
 * entry's files are read with readFileSync, its module through a descriptor from
 * openSync; the original with readFile).
 */
async function freshLoader(): Promise<{ loadModule: Load; reads: string[] }> {
  const reads: string[] = [];
  vi.resetModules();
  vi.doMock("node:fs/promises", async (importOriginal) => {
    const fsp = await importOriginal<typeof FsPromises>();
    const readFile = ((path: Parameters<typeof fsp.readFile>[0], ...rest: unknown[]) => {
      reads.push(String(path));
      return (fsp.readFile as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
    }) as typeof fsp.readFile;
    return { ...fsp, readFile };
  });
  vi.doMock("node:fs", async (importOriginal) => {
    const fs = await importOriginal<typeof Fs>();
    const readFileSync = ((path: Parameters<typeof fs.readFileSync>[0], ...rest: unknown[]) => {
      reads.push(String(path));
      return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readFileSync;
    const openSync = ((path: Parameters<typeof fs.openSync>[0], ...rest: unknown[]) => {
      reads.push(String(path));
      return (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
    }) as typeof fs.openSync;
    return { ...fs, readFileSync, openSync, default: { ...fs, readFileSync, openSync } };
  });
  const { default: prepareImage } = await import("./prepare-image.js");
  const loadModule: Load = async (path, { cacheDir }) => {
    const { value } = await prepareImage({ source: { path }, name: path.slice(path.lastIndexOf("/") + 1), cacheDir, options: {}, known: [] });
    if (value.kind !== "compiled") throw new Error(`expected a compiled image, got ${JSON.stringify(value satisfies PreparedImage)}`);
    return value;
  };
  return { loadModule, reads };
}

async function callF(module: WebAssembly.Module, fuelExport: string): Promise<number> {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  (instance.exports[fuelExport] as WebAssembly.Global).value = 100n;
  return (instance.exports["f"] as () => number)();
}

describe("source stamps", () => {
  it("let a fresh process with a warm cache load by path without reading the original", async () => {
    const cacheDir = mkdtempSync(join(root, "warm-"));
    const file = join(cacheDir, "stamped.wasm");
    writeFileSync(file, await moduleReturning(7));
    const first = await freshLoader();
    await first.loadModule(file, { cacheDir });
    expect(first.reads).toContain(file);

    const second = await freshLoader();
    const image = await second.loadModule(file, { cacheDir });
    expect(second.reads).not.toContain(file);
    expect(second.reads.some((p) => p.startsWith(cacheDir) && p.endsWith(".wasm"))).toBe(true);
    expect(image.hash).toBe(sha256(readFileSync(file)));
    expect(await callF(image.module, image.fuelExport)).toBe(7);
  });

  it("ignore a stamp whose stat no longer matches", async () => {
    const cacheDir = mkdtempSync(join(root, "stat-"));
    const file = join(cacheDir, "m.wasm");
    writeFileSync(file, await moduleReturning(1));
    const st = statSync(file);
    await writeSourceStamp(cacheDir, file, st, "a".repeat(64));
    expect(await readSourceStamp(cacheDir, file, st)).toBe("a".repeat(64));
    expect(await readSourceStamp(cacheDir, file, { ...st, size: st.size + 1 })).toBeNull();
    expect(await readSourceStamp(cacheDir, file, { ...st, ctimeMs: st.ctimeMs + 1 })).toBeNull();
    expect(await readSourceStamp(cacheDir, file, { ...st, ino: st.ino + 1 })).toBeNull();
    writeFileSync(stampPath(cacheDir, file), "{not json");
    expect(await readSourceStamp(cacheDir, file, st)).toBeNull();
  });

  it("forged stamp: a stamp that lies about the content is dropped and the real bytes are loaded", async () => {
    const cacheDir = mkdtempSync(join(root, "forged-"));
    const file = join(cacheDir, "m.wasm");
    const real = await moduleReturning(2);
    writeFileSync(file, real);
    // Same stat, wrong hash (as if the file had been swapped without its stat changing).
    await writeSourceStamp(cacheDir, file, statSync(file), sha256("something else"));
    const { loadModule } = await freshLoader();
    const image = await loadModule(file, { cacheDir });
    expect(image.hash).toBe(sha256(real));
    expect(await callF(image.module, image.fuelExport)).toBe(2);
    expect(await readSourceStamp(cacheDir, file, statSync(file))).toBe(sha256(real));
  });

  it("bit-flipped cache entry reached through a stamp is rebuilt, never used", async () => {
    const cacheDir = mkdtempSync(join(root, "flip-"));
    const file = join(cacheDir, "m.wasm");
    writeFileSync(file, await moduleReturning(3));
    await (await freshLoader()).loadModule(file, { cacheDir });
    const key = cacheKey(sha256(readFileSync(file)));
    const { wasm } = entryPaths(cacheDir, "m.wasm", key);
    const bytes = readFileSync(wasm);
    // Turn the constant 3 into 4: still valid WebAssembly of the same size, so only the
    // checksum can tell.
    const at = bytes.lastIndexOf(Buffer.from([0x41, 0x03]));
    expect(at).toBeGreaterThan(0);
    bytes[at + 1] = 0x04;
    writeFileSync(wasm, bytes);

    const { loadModule, reads } = await freshLoader();
    const image = await loadModule(file, { cacheDir });
    expect(await callF(image.module, image.fuelExport)).toBe(3);
    expect(reads).toContain(file); // re-instrumented from the original
    expect(typeof (await readCacheEntry(cacheDir, "m.wasm", key))).toBe("object");
  });
});
