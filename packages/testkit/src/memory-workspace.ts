import type { Journal, WorkspaceEntry, WorkspaceSource } from "@llm-wasm-sandbox/core";

/**
 * A minimal in-memory session workspace for driving a RuntimeEngine directly:
 * hands out a WorkspaceSource and applies journals back, as the umbrella would.
 */
export class MemoryWorkspace {
  readonly files = new Map<string, Uint8Array>();
  readonly dirs = new Set<string>();
  /** Paths the engine asked to read (to prove laziness). */
  readonly reads: string[] = [];

  /** Adds a file (and its parent directories). */
  put(path: string, data: string | Uint8Array): void {
    this.files.set(path, typeof data === "string" ? new TextEncoder().encode(data) : data);
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) this.dirs.add(parts.slice(0, i).join("/"));
  }

  text(path: string): string | undefined {
    const data = this.files.get(path);
    return data ? new TextDecoder().decode(data) : undefined;
  }

  source(): WorkspaceSource {
    const entries: WorkspaceEntry[] = [
      ...[...this.dirs].map((path) => ({ path, type: "directory" as const, size: 0, mtimeMs: 0 })),
      ...[...this.files].map(([path, data]) => ({ path, type: "file" as const, size: data.byteLength, mtimeMs: 0 })),
    ].sort((a, b) => a.path.localeCompare(b.path));
    return {
      entries,
      read: async (path) => {
        this.reads.push(path);
        const data = this.files.get(path);
        if (!data) throw new Error(`no such file: ${path}`);
        return data;
      },
    };
  }

  apply(journal: Journal): void {
    for (const e of journal.entries) {
      if (e.op === "write") this.put(e.path, e.data);
      else if (e.op === "mkdir") this.dirs.add(e.path);
      else {
        for (const key of [...this.files.keys()]) if (key === e.path || key.startsWith(`${e.path}/`)) this.files.delete(key);
        for (const key of [...this.dirs]) if (key === e.path || key.startsWith(`${e.path}/`)) this.dirs.delete(key);
      }
    }
  }
}
