import { randomUUID } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";

/**
 * Writes `data` to a temp file next to `path` and renames it over `path`: readers see the
 * whole file or the previous one, never part of it. The temp file is removed on failure.
 * Chunks are written one after another (a snapshot file is not built in one buffer).
 */
export async function atomicWrite(path: string, data: string | Uint8Array | Iterable<Uint8Array>): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    const file = await open(tmp, "wx");
    try {
      if (typeof data === "string" || data instanceof Uint8Array) await file.writeFile(data);
      else for (const chunk of data) await file.write(chunk);
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
