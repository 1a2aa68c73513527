import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import prepareImage, { type PrepareImageInput, speculate } from "../cache/prepare-image.js";
import { wat } from "../meter/test-support.js";
import { noteImageLoad, noteRunDriver, saveStartHint } from "./record-start-hint.js";
import { readStartHint, speculationFor, startHintPath } from "./start-hint.js";
import { SPECULATION, startSpeculation } from "./speculate.js";

const dir = mkdtempSync(join(tmpdir(), "start-hint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A path-source preparation into `cacheDir`, as load-module.ts builds one. */
function imageInput(path: string, cacheDir: string, extra: Partial<PrepareImageInput> = {}): PrepareImageInput {
  return { source: { path }, name: "guest.wasm", cacheDir, options: { exportMutableGlobals: false, keepNameSection: true }, known: [], transform: null, snapshot: null, ...extra };
}

describe("start hint files", () => {
  const cacheDir = join(dir, "hints");
  const driverDir = join(dir, "runtime-x", "dist");

  it("saves what this process loaded and reads it back; an unchanged hint is not rewritten", async () => {
    noteImageLoad({ ...imageInput("/opt/x.wasm", cacheDir), known: ["some-key"] });
    noteImageLoad({ source: { bytes: new Uint8Array(1) }, name: "bytes.wasm", cacheDir, options: { exportMutableGlobals: false, keepNameSection: true }, known: [] });
    noteRunDriver(pathToFileURL(join(driverDir, "driver.js")).href);
    noteRunDriver(pathToFileURL(join(driverDir, "driver.js")).href);
    await saveStartHint(cacheDir, "x");
    const hint = readStartHint(cacheDir, "x");
    // A hint is a first load: nothing known; images given as bytes are not hints.
    expect(hint).toEqual({ images: [imageInput("/opt/x.wasm", cacheDir)], drivers: [pathToFileURL(join(driverDir, "driver.js")).href] });
    // Saving the same again leaves the file alone (a rewrite renames a new file into place).
    const path = startHintPath(cacheDir, "x");
    const { ino } = statSync(path);
    await saveStartHint(cacheDir, "x");
    expect(statSync(path).ino).toBe(ino);
  });

  it("ignores a damaged, foreign or oversized hint, and names that are not plain", () => {
    const cases: Record<string, string> = {
      damaged: '{"format":1,"images":[',
      format: JSON.stringify({ format: 2, images: [], drivers: [] }),
      "other-cache-dir": JSON.stringify({ format: 1, images: [imageInput("/opt/x.wasm", "/elsewhere")], drivers: [] }),
      "snapshot-elsewhere": JSON.stringify({ format: 1, images: [imageInput("/opt/x.wasm", cacheDir, { snapshot: { dir: "/elsewhere", driver: "file:///d.js", parts: {} as never } })], drivers: [] }),
      "not-a-file-url": JSON.stringify({ format: 1, images: [imageInput("/opt/x.wasm", cacheDir)], drivers: ["https://example.com/driver.js"] }),
      oversized: JSON.stringify({ format: 1, images: [], drivers: [], pad: "x".repeat(70_000) }),
    };
    mkdirSync(join(cacheDir, "start-hints"), { recursive: true });
    for (const [name, text] of Object.entries(cases)) {
      writeFileSync(startHintPath(cacheDir, name), text);
      expect(readStartHint(cacheDir, name), name).toBeNull();
    }
    expect(readStartHint(cacheDir, "absent")).toBeNull();
    expect(readStartHint(cacheDir, "../hints/start-hints/x")).toBeNull();
  });

  it("hands a pool thread only the drivers inside the allowed directory", () => {
    const inside = pathToFileURL(join(driverDir, "driver.js")).href;
    const outside = [pathToFileURL(join(dir, "runtime-x", "evil.js")).href, `${pathToFileURL(driverDir).href}/../../evil.js`, pathToFileURL(join(cacheDir, "driver.js")).href];
    mkdirSync(join(cacheDir, "start-hints"), { recursive: true });
    writeFileSync(startHintPath(cacheDir, "mixed"), JSON.stringify({ format: 1, images: [imageInput("/opt/x.wasm", cacheDir)], drivers: [inside, ...outside] }));
    expect(speculationFor({ name: "mixed", cacheDir, driverDir })?.drivers).toEqual([inside]);
    expect(speculationFor({ name: "mixed", cacheDir })?.drivers).toEqual([]);
    expect(speculationFor({ name: "mixed", cacheDir })?.images).toHaveLength(1);
    expect(speculationFor({ name: "absent", cacheDir, driverDir })).toBeUndefined();
  });
});

describe("V8 flags of a pre-started pool", () => {
  const cacheDir = join(dir, "flags");

  it("come from the caller only: with or without a hint file, never from one", () => {
    mkdirSync(join(cacheDir, "start-hints"), { recursive: true });
    writeFileSync(startHintPath(cacheDir, "forged"), JSON.stringify({ format: 1, images: [imageInput("/opt/x.wasm", cacheDir)], drivers: [], v8Flags: ["--allow-natives-syntax"] }));
    expect(speculationFor({ name: "forged", cacheDir })?.v8Flags).toEqual([]);
    expect(speculationFor({ name: "forged", cacheDir, v8Flags: ["--wasm-lazy-validation"] })?.v8Flags).toEqual(["--wasm-lazy-validation"]);
    // No hint file: the thread still starts ahead to set the flags, with nothing to prepare.
    expect(speculationFor({ name: "absent", cacheDir, v8Flags: ["--wasm-lazy-validation"] })).toMatchObject({ images: [], drivers: [], v8Flags: ["--wasm-lazy-validation"] });
    expect(speculationFor({ name: "absent", cacheDir, v8Flags: [] })).toBeUndefined();
  });

  it("are set once, by the first thread to start, before it returns", () => {
    const set: string[] = [];
    const data = { kind: SPECULATION, images: [], drivers: [], v8Flags: ["--a", "--b"], claim: new SharedArrayBuffer(4) };
    startSpeculation(data, (f) => set.push(f));
    expect(set).toEqual(["--a", "--b"]);
    startSpeculation(data, (f) => set.push(f)); // a later thread of the same pool
    expect(set).toEqual(["--a", "--b"]);
    // Not a speculation (a flag that is not a string): nothing is set.
    startSpeculation({ ...data, v8Flags: [1], claim: new SharedArrayBuffer(4) }, (f) => set.push(f));
    expect(set).toEqual(["--a", "--b"]);
  });
});

describe("an image prepared ahead of its request", () => {
  const cacheDir = join(dir, "cache");

  it("serves exactly the request it was started for, once, from the disk cache", async () => {
    const file = join(dir, "ahead.wasm");
    writeFileSync(file, await wat(`(module (memory 1) (func (export "f") (result i32) i32.const 7))`));
    const input = imageInput(file, cacheDir);
    expect((await prepareImage(input)).value.kind).toBe("compiled"); // instruments, caches, stamps
    expect(await speculate(input)).toBe(true);
    rmSync(file); // from here on, only the speculation can serve a request for this file
    // Same input, keys in another order: served.
    const { options: _options, ...rest } = input;
    const served = await prepareImage({ options: { keepNameSection: true, exportMutableGlobals: false }, ...rest });
    expect(served.value.kind).toBe("compiled");
    // Taken once: the next request does its own work (and finds no file).
    expect((await prepareImage(input)).value.kind).toBe("error");
  });

  it("is not taken by a different request, and a cold cache leaves the work to the request", async () => {
    const file = join(dir, "other.wasm");
    writeFileSync(file, await wat(`(module (memory 1) (func (export "f") (result i32) i32.const 8))`));
    const input = imageInput(file, cacheDir);
    expect(await speculate(input)).toBe(false); // never prepared: no stamp, no entry — it does not instrument
    expect((await prepareImage(input)).value.kind).toBe("compiled"); // the request does the work
    expect(await speculate(input)).toBe(true); // cached now
    rmSync(file); // from here on, only the speculation can serve a request for this file
    expect((await prepareImage({ ...input, options: { exportMutableGlobals: true, keepNameSection: true } })).value.kind).toBe("error");
    expect((await prepareImage({ ...input, name: "renamed.wasm" })).value.kind).toBe("error");
    expect((await prepareImage(input)).value.kind).toBe("compiled");
  });

  it("loads the snapshot file with the image, without importing the driver", async () => {
    const file = join(dir, "snap.wasm");
    writeFileSync(file, await wat(`(module (memory 1) (func (export "f") (result i32) i32.const 9))`));
    // A "driver" that throws when imported: the speculation only hashes its bytes for the snapshot's key.
    const driver = join(dir, "driver.js");
    writeFileSync(driver, 'throw new Error("imported");\n');
    const snapshot = { dir: cacheDir, driver: pathToFileURL(driver).href, parts: { meterVersion: 1, runtime: "x@1.0.0", specKey: "k", driverData: null } };
    const plain = imageInput(file, cacheDir);
    expect((await prepareImage(plain)).value.kind).toBe("compiled");
    const input = imageInput(file, cacheDir, { snapshot });
    expect(await speculate(input)).toBe(true);
    const served = (await prepareImage(input)).value;
    expect(served.kind === "compiled" ? served.snapshot : null).toMatchObject({ kind: "miss", reason: "absent" });
  });
});
