/**
 * Shared fixtures of the attack suites: a disk workspace with a canary secret planted
 * next to it (so a `..` escape on disk would find it), and one sandbox per runtime.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandbox, type ExecutionPolicyInput, type Sandbox } from "../../src/index.js";

/** The secret planted outside every workspace; it must never reach a guest. */
export const CANARY = "CANARY-7f3a9c-outside-the-sandbox";

/** Small limits (each runtime keeps its default memory cap): attacks must fail fast. */
export const SMALL_POLICY: ExecutionPolicyInput = { fuelBudget: 2_000_000_000, timeoutMs: 20_000 };

/** A temp dir holding `workspace/` (the disk storage root) and `secret/canary.txt`. */
export interface AttackFixture {
  readonly root: string;
  readonly workspaceRoot: string;
  readonly canaryPath: string;
  cleanup(): Promise<void>;
}

/** Creates the fixture; call `cleanup` in `afterAll`. */
export async function createFixture(): Promise<AttackFixture> {
  const root = await mkdtemp(join(tmpdir(), "sandbox-attack-"));
  const workspaceRoot = join(root, "workspace");
  await mkdir(workspaceRoot, { recursive: true });
  await mkdir(join(root, "secret"), { recursive: true });
  const canaryPath = join(root, "secret", "canary.txt");
  await writeFile(canaryPath, CANARY);
  // Also inside the storage root but outside any session directory.
  await writeFile(join(workspaceRoot, "canary.txt"), CANARY);
  return { root, workspaceRoot, canaryPath, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** One sandbox per runtime over the fixture's disk storage. */
export async function sandboxFor(runtime: string, fx: AttackFixture, policy: ExecutionPolicyInput = SMALL_POLICY): Promise<Sandbox> {
  return createSandbox({ runtime, workspaceRoot: fx.workspaceRoot, policy });
}
