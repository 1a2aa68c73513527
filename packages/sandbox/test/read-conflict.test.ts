/**
 * A run reads workspace files lazily, by path. Another writer may commit to the session
 * meanwhile (without the session lock: allowed, its commit cannot overwrite a newer one);
 * a file it replaced after the run's listing must not reach the guest as another version's
 * bytes, and `execute` says why the run cannot stand.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diskStorage } from "@llm-wasm-sandbox/storage-disk";
import { commitJournal } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { createSandbox, createSandboxHost, defineTool, StorageConflictError } from "../src/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "read-conflict-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("a file another writer replaced after the run's listing makes execute reject with StorageConflictError, never serve mixed bytes", async () => {
  const enc = new TextEncoder();
  const storage = diskStorage({ workspaceRoot: dir });
  const writer = diskStorage({ workspaceRoot: dir }); // another adapter, as another process would be
  const host = createSandboxHost({ storage });
  try {
    // The guest asks the host to let the other writer commit, then reads: no race with a clock.
    const tools = {
      other_writer_commits: defineTool({
        description: "Another writer replaces data.json.",
        input: z.object({}),
        handler: async () => {
          await commitJournal(writer, sb.sessionId, { entries: [{ op: "write", path: "data.json", data: enc.encode('{"n": 1000}') }] });
          return {};
        },
      }),
    };
    const sb = await createSandbox({ runtime: "javascript", host, tools });
    await commitJournal(writer, sb.sessionId, { entries: [{ op: "write", path: "data.json", data: enc.encode('{"n": 99}') }] });
    await expect(sb.execute('tools.sync.other_writer_commits({}); console.log(readText("/app/data.json"))')).rejects.toSatisfy(StorageConflictError.isInstance);
    // The next run lists the new version and reads it whole.
    const again = await sb.execute('console.log(readText("/app/data.json"))');
    expect([again.success, again.stdout]).toEqual([true, '{"n": 1000}\n']);
  } finally {
    await host.close();
  }
});
