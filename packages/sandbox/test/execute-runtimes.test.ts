import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, readSessionFile } from "../src/index.js";

describe("execute with real runtimes", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sandbox-real-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("20 concurrent JavaScript executions appending to one file lose no line", async () => {
    const sb = await createSandbox({ runtime: "javascript", workspaceRoot: dir });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sb.execute(`const prev = fileExists("/app/log.txt") ? readText("/app/log.txt") : ""; writeText("/app/log.txt", prev + "line-${i}\\n");`),
      ),
    );
    expect(results.every((r) => r.success)).toBe(true);
    const lines = new TextDecoder().decode(await readSessionFile(sb.sessionId, "log.txt", { workspaceRoot: dir })).trim().split("\n");
    expect(lines).toHaveLength(20);
    expect(new Set(lines).size).toBe(20);
  });

  it("one session serves several languages over the same files", async () => {
    const storage = memoryStorage();
    const py = await createSandbox({ runtime: "python", storage });
    await py.execute("open('/app/shared.txt', 'w').write('from python')");
    const lua = await createSandbox({ runtime: "lua", storage, sessionId: py.sessionId });
    const r = await lua.execute("print(io.open('/app/shared.txt'):read('a'))");
    expect(r.stdout).toBe("from python\n");
  });

  it("says so in the notes when files were nested too deeply to be saved", async () => {
    const sb = await createSandbox({ runtime: "python", storage: memoryStorage() });
    const r = await sb.execute("import os\nd = '/app/' + '/'.join(['dd'] * 400)\nos.makedirs(d)\nopen(d + '/leaf.txt', 'w').write('x')\nprint('made')");
    expect(r.stdout).toBe("made\n");
    expect(r.notes.join(" ")).toMatch(/nested too deeply to be saved/);
    expect(r.filesCreated.every((p) => p.length <= 1024)).toBe(true);
  });

  it("gives guidance for a missing Python module", async () => {
    const sb = await createSandbox({ runtime: "python", storage: memoryStorage() });
    const r = await sb.execute("import numpy");
    expect(r.success).toBe(false);
    expect(r.errorGuidance?.errorType).toBe("MissingPackage");
    expect(r.errorGuidance?.actionableGuidance.join(" ")).toMatch(/vendor/i);
  });
});
