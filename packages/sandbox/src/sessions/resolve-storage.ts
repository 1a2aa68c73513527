import { resolve } from "node:path";
import { parseOrThrow, type SandboxLogger, type StorageAdapter } from "@llm-wasm-sandbox/core";
import { diskStorage } from "@llm-wasm-sandbox/storage-disk";
import { z } from "zod";

/** Which storage a session function works on. */
export interface StorageSelection {
  /** Any StorageAdapter (memory, disk, S3, your own). Wins over `workspaceRoot`. */
  readonly storage?: StorageAdapter | undefined;
  /** Root directory of the default disk storage (default `./workspace`). */
  readonly workspaceRoot?: string | undefined;
}

/** Options every session function takes: the storage, and a logger for its events. */
export interface SessionOptions extends StorageSelection {
  /** Structured logger (a pino logger fits); silent by default. */
  readonly logger?: SandboxLogger | undefined;
}

const ADAPTER_METHODS = [
  "createSession",
  "getSession",
  "updateSession",
  "deleteSession",
  "listSessions",
  "listFiles",
  "snapshot",
  "readFile",
  "writeFile",
  "deletePath",
  "commit",
  "readRecord",
  "sizeOf",
  "close",
] as const;

const isAdapter = (v: unknown): v is StorageAdapter =>
  typeof v === "object" && v !== null && ADAPTER_METHODS.every((m) => typeof (v as Record<string, unknown>)[m] === "function");

const LogFnSchema = z.custom<(...args: unknown[]) => void>((v) => typeof v === "function");

/** zod schema of `SessionOptions`, shared by every session function. */
export const SessionOptionsSchema = z
  .object({
    storage: z.custom<StorageAdapter>(isAdapter, "must be a StorageAdapter (memoryStorage(), diskStorage(), s3Storage() or your own)").optional(),
    workspaceRoot: z.string().min(1, "must not be empty").optional(),
    logger: z.object({ debug: LogFnSchema, info: LogFnSchema, warn: LogFnSchema, error: LogFnSchema }).passthrough().optional(),
  })
  .passthrough();

// One disk adapter per root, so that every caller in this process shares its
// in-process commit mutex and `withSessionLock` keys on the same adapter.
const diskAdapters = new Map<string, StorageAdapter>();

/**
 * The storage adapter to use: `storage` when given, otherwise the disk adapter
 * at `workspaceRoot` (default `./workspace`), shared per resolved root.
 * @throws PolicyValidationError when `storage` is not an adapter or `workspaceRoot` is empty.
 */
export function resolveStorage(selection: StorageSelection = {}): StorageAdapter {
  const opts = parseOrThrow(SessionOptionsSchema, selection, "storage options");
  if (opts.storage) return opts.storage;
  const root = resolve(opts.workspaceRoot ?? "./workspace");
  let adapter = diskAdapters.get(root);
  if (!adapter) {
    adapter = diskStorage({ workspaceRoot: root });
    diskAdapters.set(root, adapter);
  }
  return adapter;
}

/**
 * @internal Waits for what the disk adapters `resolveStorage` created still finish after
 * their callers returned (a commit's last step; see storage-disk's `close`). They stay usable.
 */
export async function flushResolvedStorages(): Promise<void> {
  await Promise.all([...diskAdapters.values()].map((adapter) => adapter.close()));
}
