import { createHash } from "node:crypto";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile as writeFileAsync } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_BYTES, type MemoryImage } from "./memory-image.js";
import { encodeSnapshotFile, readSnapshotFile, SNAPSHOT_MAGIC } from "./snapshot-file.js";
import { verifiedStampPath } from "../cache/verified-stamp.js";
import { asIfSettled, pinTimes, replaceKeepingTimes, rewriteKeepingTimes } from "../cache/test-rewrite.js";

/**
 * Writes a test file and drops its verified stamp: these tests are about the checksum, and
 * on a kernel with coarse timestamps an in-place rewrite within the same tick could keep the
 * stat a stamp from an earlier test was bound to (the stamp tests below make sure it changed).
 */
async function writeFile(path: string, bytes: Uint8Array): Promise<void> {
  await rm(verifiedStampPath(path), { force: true });
  await writeFileAsync(path, bytes);
}

const KEY = "a".repeat(64);

function sampleImage(): MemoryImage {
  const data = new SharedArrayBuffer(3 * PAGE_BYTES);
  const bytes = new Uint8Array(data);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return {
    byteLength: 8 * PAGE_BYTES,
    runs: [
      { start: PAGE_BYTES, end: 2 * PAGE_BYTES },
      { start: 5 * PAGE_BYTES, end: 7 * PAGE_BYTES },
    ],
    data,
    globals: { __llm_global_0: 1_048_576, __llm_global_3: -5n, __llm_global_4: 2n ** 62n },
  };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A file with a header of our choosing and a valid checksum (what a forger could write). */
function forged(header: object, data: Uint8Array): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, headerBytes.length, true);
  const hash = createHash("sha256").update(length).update(headerBytes).update(data).digest();
  return concat([SNAPSHOT_MAGIC, hash, length, headerBytes, data]);
}

describe("snapshot files", () => {
  let dir: string;
  let path: string;
  let good: Uint8Array;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "snapshot-file-"));
    path = join(dir, "image.snap");
    good = concat(encodeSnapshotFile(KEY, sampleImage()));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("round-trips pages, sizes and i32/i64 globals into shared memory", async () => {
    await writeFile(path, good);
    const image = readSnapshotFile(path, KEY);
    if (typeof image !== "object") throw new Error(`expected an image, got ${image}`);
    const want = sampleImage();
    expect(image.byteLength).toBe(want.byteLength);
    expect(image.runs).toEqual(want.runs);
    expect(image.globals).toEqual(want.globals);
    expect(image.data).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(new Uint8Array(image.data)).equals(Buffer.from(new Uint8Array(want.data)))).toBe(true);
  });

  it("reports a missing file as absent", async () => {
    expect(readSnapshotFile(join(dir, "nothing.snap"), KEY)).toBe("absent");
  });

  it("refuses a file saved under another key (a swapped file never restores)", async () => {
    await writeFile(path, good);
    expect(readSnapshotFile(path, "b".repeat(64))).toBe("corrupt");
  });

  it("refuses the file truncated at every structural boundary and in the data", async () => {
    const headerLength = new DataView(good.buffer, good.byteOffset + 40, 4).getUint32(0, true);
    const cuts = [0, 1, 7, 8, 39, 40, 43, 44, 44 + headerLength - 1, 44 + headerLength, 44 + headerLength + 1, good.length - PAGE_BYTES, good.length - 1];
    for (const cut of cuts) {
      await writeFile(path, good.subarray(0, cut));
      expect(readSnapshotFile(path, KEY), `truncated to ${cut} bytes`).toBe("corrupt");
    }
  });

  it("refuses a single flipped bit anywhere: magic, checksum, length, header, data", async () => {
    const headerLength = new DataView(good.buffer, good.byteOffset + 40, 4).getUint32(0, true);
    const offsets = [0, 7, 8, 39, 40, 44, 44 + Math.floor(headerLength / 2), 44 + headerLength, good.length - 1, good.length - PAGE_BYTES - 3];
    for (const offset of offsets) {
      const bad = good.slice();
      bad[offset] = (bad[offset] as number) ^ 0x10;
      await writeFile(path, bad);
      expect(readSnapshotFile(path, KEY), `bit flipped at ${offset}`).toBe("corrupt");
    }
  });

  it("refuses extra bytes appended after the data", async () => {
    await writeFile(path, concat([good, new Uint8Array([0])]));
    expect(readSnapshotFile(path, KEY)).toBe("corrupt");
  });

  it("refuses forged headers with a valid checksum: runs out of bounds, unaligned, overlapping, not adding up", async () => {
    const data = new Uint8Array(PAGE_BYTES);
    const base = { key: KEY, byteLength: 2 * PAGE_BYTES, globals: {}, dataLength: PAGE_BYTES };
    const bad: object[] = [
      { ...base, runs: [[2 * PAGE_BYTES, 3 * PAGE_BYTES]] },
      { ...base, runs: [[1, PAGE_BYTES + 1]] },
      { ...base, runs: [[0, PAGE_BYTES / 2], [PAGE_BYTES / 4, PAGE_BYTES]] },
      { ...base, runs: [[0, 2 * PAGE_BYTES]] },
      { ...base, byteLength: PAGE_BYTES + 1, runs: [[0, PAGE_BYTES]] },
      { ...base, runs: [[0, PAGE_BYTES]], globals: { g: "i64:1e3" } },
      { ...base, runs: [[0, PAGE_BYTES]], globals: { g: 5 } },
    ];
    for (const header of bad) {
      await writeFile(path, forged(header, data));
      expect(readSnapshotFile(path, KEY), JSON.stringify(header)).toBe("corrupt");
    }
    await writeFile(path, forged({ ...base, runs: [[PAGE_BYTES, 2 * PAGE_BYTES]] }, data));
    expect(typeof readSnapshotFile(path, KEY)).toBe("object");
  });

  it("stamps a file whose checksum passed once it has settled, and trusts it while its stat is unchanged (the same image, same id)", async () => {
    await writeFile(path, good);
    // Just written: verified, not stamped (a coarse file-system clock could hide a change within the same tick).
    expect(typeof readSnapshotFile(path, KEY)).toBe("object");
    expect(existsSync(verifiedStampPath(path))).toBe(false);
    const first = await asIfSettled(() => readSnapshotFile(path, KEY));
    if (typeof first !== "object") throw new Error(`expected an image, got ${first}`);
    expect(existsSync(verifiedStampPath(path))).toBe(true);
    const second = readSnapshotFile(path, KEY);
    if (typeof second !== "object") throw new Error(`expected an image, got ${second}`);
    expect(second.id).toBe(first.id);
    expect(Buffer.from(new Uint8Array(second.data)).equals(Buffer.from(new Uint8Array(first.data)))).toBe(true);
  });

  it("trusts a stamped file without hashing it: bytes changed under an unchanged stat (bit rot) are not re-detected", async () => {
    await writeFile(path, good);
    expect(typeof (await asIfSettled(() => readSnapshotFile(path, KEY)))).toBe("object");
    // What silent media corruption looks like: other bytes, the same stat (the stamp is re-bound to it).
    const bad = good.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0x01;
    writeFileSync(path, bad);
    const stamp = JSON.parse(await readFile(verifiedStampPath(path), "utf8")) as Record<string, unknown>;
    const { size, mtimeMs, ctimeMs, ino, dev } = statSync(path);
    writeFileSync(verifiedStampPath(path), JSON.stringify({ ...stamp, size, mtimeMs, ctimeMs, ino, dev }));
    expect(typeof readSnapshotFile(path, KEY)).toBe("object");
  });

  it("hashes a stamped file again once it changed: rewritten with the same size and its times put back (ctime), replaced by rename (inode)", async () => {
    const bad = good.slice();
    bad[bad.length - PAGE_BYTES] = (bad[bad.length - PAGE_BYTES] as number) ^ 0x01;
    for (const change of [rewriteKeepingTimes, replaceKeepingTimes]) {
      await writeFile(path, good);
      pinTimes(path);
      expect(typeof (await asIfSettled(() => readSnapshotFile(path, KEY)))).toBe("object");
      expect(existsSync(verifiedStampPath(path))).toBe(true);
      change(path, bad);
      expect(readSnapshotFile(path, KEY), change.name).toBe("corrupt");
    }
  });

  it("writes nothing but the chunks it returns (the saved file is exactly what is read back)", async () => {
    await writeFile(path, good);
    expect((await readFile(path)).length).toBe(good.length);
  });
});
