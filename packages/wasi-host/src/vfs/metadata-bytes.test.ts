/**
 * Entry floods: names, symlink targets and inode bookkeeping are host memory too. Before
 * maxMetadataBytes, 200k symlinks with 4000-byte targets grew the host by ~870 MiB on 0.6 %
 * of the default fuel (1M of them: ~4.4 GiB), with maxWorkspaceBytes never involved.
 */
import { describe, expect, it } from "vitest";
import { VfsError, type ErrnoName } from "./errors.js";
import { OpenFile } from "./open-file.js";
import { createVirtualFs, ENTRY_HOST_BYTES } from "./virtual-fs.js";

function errnoOf(f: () => unknown): ErrnoName | "ok" {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof VfsError) return e.errno;
    throw e;
  }
}

describe("maxMetadataBytes (entry floods)", () => {
  it("a symlink flood with long targets hits ENOSPC once the created entries' bytes pass the cap", () => {
    const target = "/" + "a".repeat(3999);
    const perLink = ENTRY_HOST_BYTES + 2 * ("s00".length + target.length);
    const fs = createVirtualFs({ maxMetadataBytes: 10 * perLink });
    for (let i = 0; i < 10; i++) fs.symlink(target, `/tmp/s${String(i).padStart(2, "0")}`);
    expect(errnoOf(() => fs.symlink(target, "/tmp/s10"))).toBe("nospc");
    // A failed create leaves no entry behind.
    expect(errnoOf(() => fs.readlink("/tmp/s10"))).toBe("noent");
  });

  it("files and directories count their names, in /app and /tmp alike", () => {
    const name = "n".repeat(200);
    const fs = createVirtualFs({ maxMetadataBytes: 3 * (ENTRY_HOST_BYTES + 2 * 201) });
    fs.open(`/app/${name}1`, { create: true, write: true });
    fs.mkdir(`/tmp/${name}2`);
    fs.open(`/tmp/${name}3`, { create: true, write: true });
    expect(errnoOf(() => fs.mkdir(`/app/${name}4`))).toBe("nospc");
    expect(errnoOf(() => fs.open(`/app/${name}5`, { create: true, write: true }))).toBe("nospc");
    // Opening what exists creates nothing and is still allowed.
    expect(errnoOf(() => fs.open(`/app/${name}1`, { write: true }))).toBe("ok");
  });

  it("deleting entries does not give their bytes back (like maxCreatedInodes, the count is per run)", () => {
    const fs = createVirtualFs({ maxMetadataBytes: 2 * (ENTRY_HOST_BYTES + 2) });
    const a = fs.open("/tmp/a", { create: true, write: true });
    if (a instanceof OpenFile) a.close();
    fs.unlink("/tmp/a");
    fs.mkdir("/tmp/b");
    fs.rmdir("/tmp/b");
    expect(errnoOf(() => fs.mkdir("/tmp/c"))).toBe("nospc");
  });

  it("the default leaves room for every entry an ordinary run creates", () => {
    const fs = createVirtualFs();
    for (let i = 0; i < 20_000; i++) fs.open(`/app/file-${i}.txt`, { create: true, write: true });
    expect(fs.readdir(fs.workspace)).toHaveLength(20_000);
  });
});
