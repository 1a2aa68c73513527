export { resolveStorage, SessionOptionsSchema, type SessionOptions, type StorageSelection } from "./resolve-storage.js";
export { withSessionLock, type SessionLockOptions } from "./session-lock.js";
export {
  withSessionRun,
  sessionQuotaOf,
  resultIdempotency,
  IDLE_REFRESH_MS,
  type SessionRunBody,
  type SessionRunOptions,
  type SessionRunOutcome,
  type RunIdempotency,
} from "./commit-run.js";
export {
  writeSessionFile,
  readSessionFile,
  listSessionFiles,
  deleteSessionPath,
  type WriteSessionFileOptions,
  type ListSessionFilesOptions,
} from "./session-files.js";
export { getSessionInfo, deleteSessionWorkspace, pruneSessions, type PruneSessionsOptions } from "./session-admin.js";
export {
  DEFAULT_MAX_LIVE_SESSIONS,
  DEFAULT_KEEP_ALIVE_IDLE_MS,
  MAX_KEEP_ALIVE_IDLE_MS,
  type KeepAliveOption,
  type HostKeepAliveOptions,
} from "./keep-alive.js";
