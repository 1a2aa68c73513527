/**
 * A failed syscall leaves no trace (issue 22.7: `open(O_CREAT)` failing with EMFILE
 * still created, and committed, the file), and fd_close / fd_renumber end the open
 * description so an unlinked file stops counting against the workspace cap (13.1).
 */
import { describe, expect, it } from "vitest";
import { createVirtualFs } from "../vfs/index.js";
import { OFlags, Rights } from "./abi.js";
import { Errno } from "./errno.js";
import { MAX_OPEN_FDS } from "./fd-table.js";
import { harness } from "./testing/preview1-harness.js";

/** Opens fds until EMFILE; returns how many were opened. */
function exhaustFds(h: ReturnType<typeof harness>): number {
  let n = 0;
  while (h.open(".", OFlags.directory, Rights.fdReaddir).errno === 0) n++;
  return n;
}

describe("path_open at the fd limit", () => {
  it("O_CREAT failing with EMFILE creates nothing, and nothing is journaled", () => {
    const h = harness({ fs: createVirtualFs() });
    expect(exhaustFds(h)).toBeLessThanOrEqual(MAX_OPEN_FDS);
    expect(h.open("ghost.txt", OFlags.creat, Rights.fdWrite).errno).toBe(Errno.mfile);
    expect(() => h.fs.stat("/app/ghost.txt")).toThrow();
    expect(h.fs.journal().entries).toEqual([]);
  });

  it("O_TRUNC failing with EMFILE leaves the file's content as it was", () => {
    const h = harness({ fs: createVirtualFs() });
    const { fd } = h.open("keep.txt", OFlags.creat, Rights.fdWrite);
    expect(h.call("fd_write", fd, h.iov(new TextEncoder().encode("precious")), 1, h.alloc(4))).toBe(0);
    exhaustFds(h);
    expect(h.open("keep.txt", OFlags.trunc, Rights.fdWrite).errno).toBe(Errno.mfile);
    expect(h.fs.stat("/app/keep.txt").size).toBe(8);
  });
});

describe("closing the last fd of an unlinked file", () => {
  it("fd_close gives its bytes back to the workspace cap, not before", () => {
    const h = harness({ fs: createVirtualFs({ maxWorkspaceBytes: 1000 }) });
    const a = h.open("a", OFlags.creat, Rights.fdWrite);
    expect(h.call("fd_write", a.fd, h.iov(900), 1, h.alloc(4))).toBe(0);
    const [p, l] = h.str("a");
    expect(h.call("path_unlink_file", 3, p, l)).toBe(0);
    const b = h.open("b", OFlags.creat, Rights.fdWrite);
    expect(h.call("fd_write", b.fd, h.iov(200), 1, h.alloc(4))).toBe(Errno.nospc);
    expect(h.call("fd_close", a.fd)).toBe(0);
    expect(h.call("fd_write", b.fd, h.iov(200), 1, h.alloc(4))).toBe(0);
  });

  it("fd_renumber onto the fd of an unlinked file closes it too", () => {
    const h = harness({ fs: createVirtualFs({ maxWorkspaceBytes: 1000 }) });
    const a = h.open("a", OFlags.creat, Rights.fdWrite);
    expect(h.call("fd_write", a.fd, h.iov(900), 1, h.alloc(4))).toBe(0);
    const [p, l] = h.str("a");
    expect(h.call("path_unlink_file", 3, p, l)).toBe(0);
    const b = h.open("b", OFlags.creat, Rights.fdWrite);
    expect(h.call("fd_renumber", b.fd, a.fd)).toBe(0);
    expect(h.call("fd_write", a.fd, h.iov(1000), 1, h.alloc(4))).toBe(0);
  });
});
