/**
 * Session quota across runs: the per-run workspace limits reset every run, so a
 * guest could otherwise grow its session without bound on disk or S3, one run at
 * a time. `maxSessionBytes` / `maxSessionFiles` are enforced at commit: the run
 * that would cross them fails with StorageQuotaError and commits nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, getSessionInfo, listSessionFiles, StorageQuotaError } from "../../src/index.js";
import { type AttackFixture, createFixture, SMALL_POLICY } from "./helpers.js";

let fx: AttackFixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(() => fx.cleanup());

/** Per runtime: code writing `bytes` bytes to /app/<name>, and code creating `count` small files. */
const writers: Record<string, { one: (name: string, bytes: number) => string; many: (count: number) => string }> = {
  python: {
    one: (name, bytes) => `open('/app/${name}', 'wb').write(b'x' * ${bytes})`,
    many: (count) => `for i in range(${count}): open(f'/app/m{i}', 'w').write('m')`,
  },
  javascript: {
    one: (name, bytes) => `writeText("/app/${name}", "x".repeat(${bytes}))`,
    many: (count) => `for (let i = 0; i < ${count}; i++) writeText("/app/m" + i, "m")`,
  },
  ruby: {
    one: (name, bytes) => `File.write('/app/${name}', 'x' * ${bytes})`,
    many: (count) => `${count}.times { |i| File.write("/app/m#{i}", 'm') }`,
  },
  lua: {
    one: (name, bytes) => `local f = io.open('/app/${name}', 'w') f:write(string.rep('x', ${bytes})) f:close()`,
    many: (count) => `for i = 0, ${count - 1} do local f = io.open('/app/m' .. i, 'w') f:write('m') f:close() end`,
  },
};

describe.each(Object.keys(writers))("session quota across runs (%s)", (runtime) => {
  const code = writers[runtime] as (typeof writers)[string];
  const policy = { ...SMALL_POLICY, maxSessionBytes: 1_000_000, maxSessionFiles: 20 };

  it("refuses the run that grows the session past maxSessionBytes, committing none of it", async () => {
    const sb = await createSandbox({ runtime, workspaceRoot: fx.workspaceRoot, policy });
    const first = await sb.execute(code.one("a.bin", 700_000));
    expect(first.success, first.stderr).toBe(true);
    const before = await getSessionInfo(sb.sessionId, { workspaceRoot: fx.workspaceRoot });
    // Each run alone is far under the per-run workspace limit; together they cross the session quota.
    const err = await sb.execute(`${code.one("b.bin", 700_000)}\n${code.one("a.bin", 400_000)}`).catch((e: unknown) => e);
    expect(StorageQuotaError.isInstance(err), String(err)).toBe(true);
    expect(err).toMatchObject({ unit: "bytes", quotaBytes: 1_000_000, sessionId: sb.sessionId });
    // Nothing of the refused run landed: not b.bin, not the rewrite of a.bin.
    const files = await listSessionFiles(sb.sessionId, { workspaceRoot: fx.workspaceRoot });
    expect(files.filter((f) => f.type === "file").map((f) => [f.path, f.size])).toEqual([["a.bin", 700_000]]);
    expect(await getSessionInfo(sb.sessionId, { workspaceRoot: fx.workspaceRoot })).toEqual(before);
    // The session stays usable: a run that shrinks it is accepted.
    const shrink = await sb.execute(code.one("a.bin", 10));
    expect(shrink.filesModified).toEqual(["a.bin"]);
  });

  it("refuses the run that creates more files than maxSessionFiles", async () => {
    const sb = await createSandbox({ runtime, workspaceRoot: fx.workspaceRoot, policy });
    const err = await sb.execute(code.many(25)).catch((e: unknown) => e);
    expect(err).toMatchObject({ unit: "files", quotaBytes: 20 });
    expect(await listSessionFiles(sb.sessionId, { workspaceRoot: fx.workspaceRoot })).toEqual([]);
  });
});
