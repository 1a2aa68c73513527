export {
  describeRuntimeConformance,
  createRuntimeHarness,
  prepareRequest,
  succeeded,
  type RuntimeSnippets,
  type RuntimeConformanceOptions,
  type RuntimeHarness,
  type HarnessRun,
} from "./runtime-conformance.js";
export { MemoryWorkspace } from "./memory-workspace.js";
export { describeStorageConformance, testSessionMetadata, HOSTILE_PATHS, HOSTILE_SESSION_IDS, type StorageUnderTest } from "./storage-conformance.js";
export { rawRun } from "./raw-run.js";
export { commitJournal } from "./commit-journal.js";
export {
  CODE_MODE_DOCS,
  CODE_MODE_PROGRAMS,
  CODE_MODE_EXPECTED,
  CODE_MODE_CALLS,
  searchCodeModeDocs,
  summarizeTitles,
  type CodeModeDoc,
  type CodeModeHit,
  type CodeModeLanguage,
} from "./code-mode.js";
export { recordingLogger } from "./recording-logger.js";
