import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PINNED_MTIME_S, pinTreeTimes } from "../src/pin-tree-times.js";
import { MemoryWorkspace } from "@llm-wasm-sandbox/testkit";
import { pythonHarness } from "./helpers.js";

describe("pinTreeTimes", () => {
  it("gives the directory and everything under it the pinned time", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pin-times-"));
    try {
      await mkdir(join(dir, "a", "b"), { recursive: true });
      await writeFile(join(dir, "a", "b", "c.py"), "x = 1\n");
      await writeFile(join(dir, "top.py"), "");
      await pinTreeTimes(dir);
      for (const path of [dir, join(dir, "a"), join(dir, "a", "b"), join(dir, "a", "b", "c.py"), join(dir, "top.py")]) {
        expect((await stat(path)).mtimeMs, path).toBe(PINNED_MTIME_S * 1000);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the guest's view of the cached standard library and time zones", () => {
  let h: ReturnType<typeof pythonHarness>;
  beforeAll(() => {
    h = pythonHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("shows the pinned time, not when this machine built its cache (deterministic output and fuel)", async () => {
    const paths = ["/lib/python3.14", "/lib/python3.14/os.py", "/lib/python3.14/__pycache__", "/lib/python3.14/json/__init__.py", "/usr/share/zoneinfo", "/usr/share/zoneinfo/Europe/Paris"];
    const { raw } = await h.run(`import os, json\nprint(json.dumps([os.stat(p).st_mtime for p in ${JSON.stringify(paths)}]))`, { deterministic: true });
    expect(raw.stderr).toBe("");
    expect(JSON.parse(raw.stdout)).toEqual(paths.map(() => PINNED_MTIME_S));
  });

  it("shows /app files committed by earlier runs at the frozen clock's time when deterministic, not when storage committed them", async () => {
    const workspace = new MemoryWorkspace();
    workspace.put("f.txt", "x"); // listed with a stored time (0 here), as storage lists a committed file
    const { raw } = await h.run('import os\nprint(os.stat("/app/f.txt").st_mtime == os.stat("/app").st_mtime, os.stat("/app/f.txt").st_mtime)', { deterministic: true }, workspace);
    expect(raw.stderr).toBe("");
    expect(raw.stdout.split(" ")[0]).toBe("True");
  });
});
