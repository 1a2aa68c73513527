/**
 * A live interpreter's filesystem counts its caps across executions: past half of one,
 * the session goes on cold (retireReason) rather than run into ENOSPC where cold runs
 * would not.
 */
import { describe, expect, it } from "vitest";
import { OpenFile } from "../vfs/open-file.js";
import { createVirtualFs, type VirtualFs } from "../vfs/virtual-fs.js";
import { retireReason } from "./live-world.js";

function write(fs: VirtualFs, path: string, bytes: number): void {
  const f = fs.open(path, { create: true, write: true, truncate: true });
  if (!(f instanceof OpenFile)) throw new Error("not a file");
  f.write(new Uint8Array(bytes));
  f.close();
}

describe("retireReason", () => {
  it("keeps an interpreter whose files use under half of the growth cap, across rebases", () => {
    const fs = createVirtualFs({ maxWorkspaceBytes: 1000 });
    write(fs, "/app/a.bin", 300);
    fs.rebaseWorkspace({});
    expect(retireReason(fs)).toBeNull();
    write(fs, "/app/b.bin", 300);
    fs.rebaseWorkspace({});
    expect(retireReason(fs)).toMatch(/grew by 600 bytes, over half of what one interpreter may hold \(1000\)/);
  });

  it("retires one that created over half of the entries it may create", () => {
    const fs = createVirtualFs({ maxCreatedInodes: 4 });
    write(fs, "/app/a", 1);
    write(fs, "/app/b", 1);
    expect(retireReason(fs)).toBeNull();
    write(fs, "/tmp/c", 1);
    expect(retireReason(fs)).toMatch(/created 3 files and directories/);
  });
});
