/**
 * Persistent interpreter snapshots (the runner's SnapshotStore writes them to the host's
 * cacheDir): a later host restores the file instead of initializing the interpreter, and
 * a damaged file — bit flipped, truncated, replaced by garbage — is deleted and rebuilt,
 * never restored. Ruby is the runtime that snapshots today.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, createSandboxHost, memoryStorage } from "../../src/index.js";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";

const CODE = 'x = [6, 7].reduce(:*)\nputs "answer=#{x}"';

describe("persistent Ruby snapshots in the host's cacheDir", () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "snapshot-cache-"));
  });
  afterAll(() => rm(cacheDir, { recursive: true, force: true }));

  /** Runs CODE on a new host over `cacheDir`; returns where its snapshot came from. */
  async function runOnNewHost(): Promise<{ origins: readonly string[]; stdout: string; maxDelayMs: number }> {
    await using host = createSandboxHost({ cacheDir, storage: memoryStorage() });
    const sandbox = await createSandbox({ runtime: "ruby", host });
    const { result, maxDelayMs } = await watchEventLoop(() => sandbox.execute(CODE));
    expect(result.stderr).toBe("");
    return { origins: [...host.runner.snapshotOrigins], stdout: result.stdout, maxDelayMs };
  }

  async function snapshotFile(): Promise<string> {
    const files = (await readdir(join(cacheDir, "snapshots"))).filter((f) => f.endsWith(".snap"));
    expect(files).toHaveLength(1);
    return join(cacheDir, "snapshots", files[0] as string);
  }

  it("a new host restores the saved snapshot instead of initializing Ruby again", async () => {
    const first = await runOnNewHost();
    expect(first).toMatchObject({ origins: ["snapshot-run"], stdout: "answer=42\n" });
    await snapshotFile();
    const second = await runOnNewHost();
    expect(second).toMatchObject({ origins: ["disk"], stdout: "answer=42\n" });
    // Reading and checking ~7 MiB happens in a pool thread, not on the host's event loop.
    expect(second.maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  }, 300_000);

  it("rebuilds a snapshot file with one flipped bit in its pages instead of restoring it", async () => {
    const path = await snapshotFile();
    const bytes = await readFile(path);
    const at = bytes.length - 12_345;
    bytes[at] = (bytes[at] as number) ^ 0x01;
    await writeFile(path, bytes);
    expect(await runOnNewHost()).toMatchObject({ origins: ["snapshot-run"], stdout: "answer=42\n" });
    expect(await runOnNewHost()).toMatchObject({ origins: ["disk"], stdout: "answer=42\n" });
  }, 300_000);

  it("rebuilds a truncated snapshot file and one replaced by garbage", async () => {
    const path = await snapshotFile();
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await runOnNewHost()).toMatchObject({ origins: ["snapshot-run"], stdout: "answer=42\n" });
    await writeFile(await snapshotFile(), "not a snapshot at all");
    expect(await runOnNewHost()).toMatchObject({ origins: ["snapshot-run"], stdout: "answer=42\n" });
    expect(await runOnNewHost()).toMatchObject({ origins: ["disk"], stdout: "answer=42\n" });
  }, 300_000);
});
