import { type CommitOptions, type CommitResult, type Journal, planCommit, type StorageAdapter } from "@llm-wasm-sandbox/core";

/**
 * What a run does, in one call: snapshot the session, plan `journal` against it,
 * and commit the plan conditionally on the snapshot's version. For tests and
 * tools that start from a journal rather than a plan.
 *
 * ```ts
 * await commitJournal(storage, "s1", { entries: [{ op: "write", path: "a.txt", data }] });
 * ```
 * @throws whatever `snapshot`, `planCommit` and `commit` throw.
 */
export async function commitJournal(
  storage: StorageAdapter,
  sessionId: string,
  journal: Journal,
  options: Omit<CommitOptions, "expectedVersion"> = {},
): Promise<CommitResult> {
  const start = await storage.snapshot(sessionId);
  return storage.commit(sessionId, planCommit(start.entries, journal), { ...options, expectedVersion: start.metadata.version });
}
