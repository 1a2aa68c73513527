import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeStorageConformance } from "@llm-wasm-sandbox/testkit";
import { diskStorage } from "../src/index.js";

describeStorageConformance("disk", async () => {
  const dir = await mkdtemp(join(tmpdir(), "llm-sandbox-disk-"));
  const adapter = diskStorage({ workspaceRoot: dir });
  return {
    adapter,
    sibling: () => diskStorage({ workspaceRoot: dir }),
    cleanup: async () => {
      await adapter.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeStorageConformance("disk (fsync: false)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "llm-sandbox-disk-nosync-"));
  const adapter = diskStorage({ workspaceRoot: dir, fsync: false });
  return {
    adapter,
    sibling: () => diskStorage({ workspaceRoot: dir, fsync: false }),
    cleanup: async () => {
      await adapter.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeStorageConformance("disk (singleProcess: in-process locks)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "llm-sandbox-disk-single-"));
  const adapter = diskStorage({ workspaceRoot: dir, singleProcess: true });
  return {
    adapter,
    sibling: () => diskStorage({ workspaceRoot: dir, singleProcess: true }),
    cleanup: async () => {
      await adapter.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
