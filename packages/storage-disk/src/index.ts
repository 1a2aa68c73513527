export { diskStorage, type DiskStorage, type DiskStorageOptions } from "./disk-storage.js";
export { QUICK_READS_PER_SNAPSHOT } from "./session-reader.js";
export type { CommitPhaseHook, DiskCommitPhase } from "./commit-log.js";
