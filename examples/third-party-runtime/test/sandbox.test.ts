import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerRuntime } from "@llm-wasm-sandbox/core";
import { createSandbox } from "llm-wasm-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tally from "../src/index.js";

describe("Tally through createSandbox", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "tally-"));
    registerRuntime(tally);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("is selected by its type and keeps files between executions of a session", async () => {
    const sandbox = await createSandbox({ runtime: "tally", workspaceRoot: root });
    const first = await sandbox.execute("write notes.txt remember me\nprint saved");
    expect(first.success).toBe(true);
    expect(first.stdout).toBe("saved\n");
    expect(first.filesCreated).toContain("notes.txt");
    const second = await sandbox.execute("cat notes.txt");
    expect(second.stdout).toBe("remember me");
  });

  it("turns a Tally syntax error into errorGuidance", async () => {
    const sandbox = await createSandbox({ runtime: "tally", workspaceRoot: root });
    const result = await sandbox.execute("print ok\nprnt oops");
    expect(result.success).toBe(false);
    expect(result.stdout).toBe("ok\n");
    expect(result.errorGuidance?.errorType).toBe("SyntaxError");
  });
});
