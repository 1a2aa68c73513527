import { deleteSessionPath, type StorageAdapter, writeSessionFile } from "llm-wasm-sandbox";

/** Workspace directory (under /app) where the server keeps outputs too long to return. */
export const OUTPUTS_DIR = ".outputs";
/** How many saved outputs a session keeps; older ones are deleted when a new one is saved. */
export const KEPT_OUTPUTS = 10;

/**
 * Saves a run's whole stdout or stderr in the session as `/app/.outputs/<n>-<id>.<stream>.txt`
 * (n = the session's execution count, id = a few random hex digits so concurrent runs of one
 * session never share a name) and deletes all but the newest KEPT_OUTPUTS files there.
 * Returns the guest path.
 */
export async function saveFullOutput(
  storage: StorageAdapter,
  sessionId: string,
  stream: "stdout" | "stderr",
  text: string,
  runId: string,
): Promise<string> {
  const rel = `${OUTPUTS_DIR}/${runId}.${stream}.txt`;
  await writeSessionFile(sessionId, rel, text, { storage });
  await pruneOutputs(storage, sessionId);
  return `/app/${rel}`;
}

/** A name for one run's saved outputs: `<execution count>-<4 random hex>`. */
export async function outputRunId(storage: StorageAdapter, sessionId: string): Promise<string> {
  const meta = await storage.getSession(sessionId);
  const salt = Math.floor(Math.random() * 0x10000).toString(16).padStart(4, "0");
  return `${meta?.executionCount ?? 0}-${salt}`;
}

async function pruneOutputs(storage: StorageAdapter, sessionId: string): Promise<void> {
  const saved = (await storage.listFiles(sessionId)).filter((f) => f.type === "file" && f.path.startsWith(`${OUTPUTS_DIR}/`));
  if (saved.length <= KEPT_OUTPUTS) return;
  saved.sort((a, b) => b.mtimeMs - a.mtimeMs || b.path.localeCompare(a.path));
  for (const old of saved.slice(KEPT_OUTPUTS)) await deleteSessionPath(sessionId, old.path, { storage });
}
