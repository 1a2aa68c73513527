export { diskStorage, type DiskStorage, type DiskStorageOptions } from "./disk-storage.js";
export type { CommitPhaseHook, DiskCommitPhase } from "./commit-log.js";
