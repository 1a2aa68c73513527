/**
 * `execute(code, { idempotencyKey })`: a retry with the same key — after a lost
 * reply, a timeout, a crash of the caller — returns the first run's result and
 * never runs (or appends) twice; the record is committed with the run itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, PolicyValidationError, readSessionFile } from "../src/index.js";
import { type AttackFixture, createFixture } from "./attacks/helpers.js";

const APPEND = 'const f = "/app/log.txt"; writeText(f, (fileExists(f) ? readText(f) : "") + "line\\n"); console.log(readText(f).length)';

let fx: AttackFixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(() => fx.cleanup());

describe.each([
  ["disk", () => ({ workspaceRoot: fx.workspaceRoot })],
  ["memory", () => ({ storage: memoryStorage() })],
])("execute with an idempotency key (%s storage)", (_name, where) => {
  it("a retry with the same key returns the first result, says so, and runs nothing", async () => {
    const storage = where();
    const sb = await createSandbox({ runtime: "javascript", ...storage });
    const first = await sb.execute(APPEND, { idempotencyKey: "req-1" });
    const retry = await sb.execute(APPEND, { idempotencyKey: "req-1" });
    expect(first).toMatchObject({ success: true, stdout: "5\n", filesCreated: ["log.txt"] });
    expect(retry.stdout).toBe("5\n");
    expect(retry.filesCreated).toEqual(["log.txt"]);
    expect(retry.notes.at(-1)).toMatch(/^replayed: a run with idempotency key "req-1" already ran/);
    expect(await readSessionFile(sb.sessionId, "log.txt", { ...storage, encoding: "utf8" })).toBe("line\n");
    // Another key runs; so does a call without a key.
    expect((await sb.execute(APPEND, { idempotencyKey: "req-2" })).stdout).toBe("10\n");
    expect((await sb.execute(APPEND)).stdout).toBe("15\n");
  });

  it("rejects an empty or over-long key before running anything", async () => {
    const sb = await createSandbox({ runtime: "javascript", ...where() });
    await expect(sb.execute(APPEND, { idempotencyKey: "" })).rejects.toSatisfy(PolicyValidationError.isInstance);
    await expect(sb.execute(APPEND, { idempotencyKey: "k".repeat(257) })).rejects.toSatisfy(PolicyValidationError.isInstance);
  });
});
