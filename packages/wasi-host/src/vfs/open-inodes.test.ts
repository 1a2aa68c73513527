/**
 * Bytes count against maxWorkspaceBytes for the life of the inode: while a directory
 * entry names it or an open description holds it (issue 13.1: writing 448 MiB, keeping
 * the fd, unlinking and repeating held 3.5 GiB of host memory with no ENOSPC ever).
 */
import { describe, expect, it } from "vitest";
import { VfsError, type ErrnoName } from "./errors.js";
import { OpenFile } from "./open-file.js";
import { createVirtualFs, type VirtualFs } from "./virtual-fs.js";

function errnoOf(f: () => unknown): ErrnoName | "ok" {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof VfsError) return e.errno;
    throw e;
  }
}

function create(fs: VirtualFs, path: string): OpenFile {
  const f = fs.open(path, { create: true, write: true, read: true });
  if (!(f instanceof OpenFile)) throw new Error("expected a file");
  return f;
}

describe.each(["/app", "/tmp"])("deleted-but-open files in %s", (dir) => {
  it("keep counting after unlink while open: write, keep the fd, unlink, repeat hits ENOSPC", () => {
    const fs = createVirtualFs({ maxWorkspaceBytes: 1000 });
    const held: OpenFile[] = [];
    let written = 0;
    let errno: ErrnoName | "ok" = "ok";
    for (let i = 0; i < 10 && errno === "ok"; i++) {
      const f = create(fs, `${dir}/f${i}`);
      errno = errnoOf(() => f.write(new Uint8Array(300)));
      if (errno === "ok") written += 300;
      fs.unlink(`${dir}/f${i}`);
      held.push(f);
    }
    expect(errno).toBe("nospc");
    expect(written).toBeLessThanOrEqual(1000);
    // The bytes are still there for the fd that holds them.
    expect(held[0]!.pread(new Uint8Array(300), 0)).toBe(300);
  });

  it("gives the space back when the last open description is closed", () => {
    const fs = createVirtualFs({ maxWorkspaceBytes: 1000 });
    const f = create(fs, `${dir}/a`);
    f.write(new Uint8Array(900));
    fs.unlink(`${dir}/a`);
    const g = create(fs, `${dir}/b`);
    expect(errnoOf(() => g.write(new Uint8Array(200)))).toBe("nospc");
    f.close();
    f.close(); // idempotent: the space is given back once
    g.write(new Uint8Array(1000));
    expect(errnoOf(() => g.write(new Uint8Array(1)))).toBe("nospc");
  });

  it("counts a file replaced by a rename while it is open, until it is closed", () => {
    const fs = createVirtualFs({ maxWorkspaceBytes: 1000 });
    const victim = create(fs, `${dir}/victim`);
    victim.write(new Uint8Array(600));
    create(fs, `${dir}/other`).close();
    fs.rename(`${dir}/other`, `${dir}/victim`);
    const h = create(fs, `${dir}/h`);
    expect(errnoOf(() => h.write(new Uint8Array(500)))).toBe("nospc");
    victim.close();
    h.write(new Uint8Array(500));
  });

  it("reports nlink 0 for an unlinked open file, 1 while linked", () => {
    const fs = createVirtualFs();
    const f = create(fs, `${dir}/n`);
    expect(fs.statInode(f.inode).nlink).toBe(1);
    fs.unlink(`${dir}/n`);
    expect(fs.statInode(f.inode).nlink).toBe(0);
  });

  it("frees an unlinked file at once when nothing holds it open", () => {
    const fs = createVirtualFs({ maxWorkspaceBytes: 1000 });
    const f = create(fs, `${dir}/x`);
    f.write(new Uint8Array(1000));
    f.close();
    fs.unlink(`${dir}/x`);
    create(fs, `${dir}/y`).write(new Uint8Array(1000));
  });
});
