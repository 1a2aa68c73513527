/**
 * `ImageSource.transform`: the plugin's rewrite runs in the preparing thread before the
 * meter, and its id is part of the image's cache key, so an image cached without (or
 * with another) transform is never served for it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { wat } from "../meter/test-support.js";
import { cacheKey } from "./instrument-cached.js";
import prepareImage, { type PreparedImage } from "./prepare-image.js";

const root = mkdtempSync(join(tmpdir(), "image-transform-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const moduleReturning = (n: number) => wat(`(module (memory 1) (func (export "f") (result i32) i32.const ${n}))`);

async function callF(image: PreparedImage): Promise<number> {
  if (image.kind !== "compiled") throw new Error(`expected a compiled image, got ${image.kind}`);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = await WebAssembly.instantiate(image.module, { env: { memory } });
  (instance.exports[image.fuelExport] as WebAssembly.Global).value = 100n;
  return (instance.exports["f"] as () => number)();
}

describe("image transforms", () => {
  it("run before metering and key the cache by their id", async () => {
    const cacheDir = mkdtempSync(join(root, "cache-"));
    const source = join(cacheDir, "seven.wasm");
    writeFileSync(source, await moduleReturning(7));
    // The transform swaps in a module returning 8 (a stand-in for a real rewrite).
    const transformFile = join(root, "to-eight.mjs");
    writeFileSync(transformFile, `export default () => new Uint8Array(${JSON.stringify([...(await moduleReturning(8))])});\n`);
    const transform = { id: "to-eight@1", module: pathToFileURL(transformFile).href };

    const plain = (await prepareImage({ source: { path: source }, name: "seven.wasm", cacheDir, options: {}, known: [] })).value;
    const rewritten = (await prepareImage({ source: { path: source }, name: "seven.wasm", cacheDir, options: {}, known: [], transform })).value;
    expect(await callF(plain)).toBe(7);
    expect(await callF(rewritten)).toBe(8);
    if (plain.kind !== "compiled" || rewritten.kind !== "compiled") throw new Error("not compiled");
    expect(rewritten.hash).toBe(plain.hash); // the source's hash; the key tells them apart
    expect(rewritten.key).toBe(cacheKey(plain.hash, {}, "to-eight@1"));
    expect(rewritten.key).not.toBe(plain.key);
    // A second preparation is served from the disk cache under the transform's key.
    const again = (await prepareImage({ source: { path: source }, name: "seven.wasm", cacheDir, options: {}, known: [], transform })).value;
    expect(await callF(again)).toBe(8);
  });

  it("report a transform without a default export as an error, not a crash", async () => {
    const bad = join(root, "no-default.mjs");
    writeFileSync(bad, "export const nothing = 1;\n");
    const result = (await prepareImage({ source: { bytes: await moduleReturning(1) }, name: "one.wasm", cacheDir: null, options: {}, known: [], transform: { id: "bad@1", module: pathToFileURL(bad).href } })).value;
    expect(result).toMatchObject({ kind: "error", message: expect.stringMatching(/has no default export function/) });
  });
});
