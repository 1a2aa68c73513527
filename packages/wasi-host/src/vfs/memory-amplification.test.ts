/**
 * Attack: a guest writes one huge file in many small writes so the host holds several
 * times the bytes written (copying growth whose old buffers are collected late, plus
 * copies for the journal). These tests pin what the host keeps, without timing.
 */
import { describe, expect, it } from "vitest";
import { journalTransferables } from "../worker.js";
import { FileInode, LARGE_FILE_BYTES, type MountInfo } from "./inode.js";
import { OpenFile } from "./open-file.js";
import { createVirtualFs } from "./virtual-fs.js";

const MiB = 1024 * 1024;
const app: MountInfo = { kind: "workspace", guestPath: "/app" };

function appendInChunks(file: FileInode, total: number, chunk: number): void {
  const piece = new Uint8Array(chunk).fill(7);
  for (let at = 0; at < total; at += chunk) file.write(piece.subarray(0, Math.min(chunk, total - at)), at);
}

describe("attack: memory amplification by a large file written in small pieces", () => {
  it("keeps a large file's capacity within 1.5x of its size at every step", () => {
    const file = new FileInode(1n, app, 0n, new Uint8Array(0));
    const piece = new Uint8Array(64 * 1024).fill(1);
    let worst = 0;
    for (let at = 0; at < 48 * MiB; at += piece.length) {
      file.write(piece, at);
      if (file.size >= LARGE_FILE_BYTES) worst = Math.max(worst, file.capacity / file.size);
    }
    expect(file.size).toBe(48 * MiB);
    expect(worst).toBeGreaterThanOrEqual(1);
    expect(worst).toBeLessThanOrEqual(1.5);
  });

  it("grows a large file in place: the buffer it writes into is the one it started with", () => {
    const file = new FileInode(1n, app, 0n, new Uint8Array(0));
    appendInChunks(file, LARGE_FILE_BYTES + MiB, 256 * 1024);
    const before = file.bytes().buffer;
    appendInChunks(file, 24 * MiB, 256 * 1024);
    expect(file.bytes().buffer).toBe(before);
    expect(file.size).toBe(24 * MiB);
  });

  it("hands the journal a large file's own buffer, trimmed to the content, not a copy", () => {
    const file = new FileInode(1n, app, 0n, new Uint8Array(0));
    appendInChunks(file, 10 * MiB + 3, 100_000);
    const own = file.bytes().buffer;
    const data = file.journalBytes();
    expect(data.buffer).toBe(own);
    expect(data.byteOffset).toBe(0);
    expect(data.byteLength).toBe(10 * MiB + 3);
    expect(data.buffer.byteLength).toBe(10 * MiB + 3);
    expect(file.capacity).toBe(10 * MiB + 3);
    expect(data[10 * MiB + 2]).toBe(7);
  });

  it("still copies small files for the journal, so spare capacity is not shipped", () => {
    const file = new FileInode(1n, app, 0n, new Uint8Array(0));
    appendInChunks(file, 1000, 10);
    const data = file.journalBytes();
    expect(data.buffer).not.toBe(file.bytes().buffer);
    expect(data.buffer.byteLength).toBe(1000);
  });

  it("keeps content exact across gaps, truncation and regrowth of a large file", () => {
    const file = new FileInode(1n, app, 0n, new Uint8Array(0));
    appendInChunks(file, 6 * MiB, MiB);
    file.truncate(5 * MiB);
    file.truncate(7 * MiB); // must read back zeros, not the old bytes beyond 5 MiB
    file.write(new Uint8Array([9]), 9 * MiB); // gap from 7 to 9 MiB is zero-filled
    const bytes = file.journalBytes();
    expect(bytes.length).toBe(9 * MiB + 1);
    expect(bytes[5 * MiB - 1]).toBe(7);
    expect(bytes[5 * MiB]).toBe(0);
    expect(bytes[8 * MiB]).toBe(0);
    expect(bytes[9 * MiB]).toBe(9);
  });

  it("moves each journal buffer to the main thread once, and only when the view covers it", () => {
    const fs = createVirtualFs({ workspace: { entries: [], load: () => new Uint8Array(0) } });
    const big = fs.open("/app/big.bin", { create: true, write: true });
    const small = fs.open("/app/small.txt", { create: true, write: true });
    if (!(big instanceof OpenFile) || !(small instanceof OpenFile)) throw new Error("not files");
    const piece = new Uint8Array(MiB).fill(3);
    for (let i = 0; i < 5; i++) big.write(piece);
    small.write(new Uint8Array([1, 2, 3]));
    const journal = fs.journal();
    const moved = journalTransferables(journal);
    const datas = journal.entries.flatMap((e) => (e.op === "write" ? [e.data] : []));
    expect(datas.map((d) => d.length).sort((a, b) => a - b)).toEqual([3, 5 * MiB]);
    expect(moved).toHaveLength(2);
    for (const d of datas) expect(moved).toContain(d.buffer);

    const shared = new Uint8Array(new SharedArrayBuffer(8));
    const whole = new Uint8Array(16);
    const part = whole.subarray(4, 8);
    const picked = journalTransferables({
      entries: [
        { op: "write", path: "a", data: shared },
        { op: "write", path: "b", data: part },
        { op: "write", path: "c", data: whole },
        { op: "write", path: "d", data: whole },
        { op: "delete", path: "e" },
      ],
    });
    expect(picked).toEqual([whole.buffer]);
  });
});
