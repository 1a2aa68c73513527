/**
 * llm-wasm-sandbox — run LLM-written code in WebAssembly with hard limits.
 * @packageDocumentation
 */
export { createSandbox } from "./create-sandbox.js";
export { Sandbox } from "./sandbox.js";
export { createSandboxHost, defaultHost, closeDefaultHost, type SandboxHost, type SandboxHostOptions } from "./sandbox-host.js";
export { pruneCache, type PruneCacheOptions, type PruneCacheResult, type PrunedEntry } from "./cache/prune-cache.js";
export type { CreateSandboxOptions, ExecuteOptions } from "./options.js";
export { MAX_CODE_BYTES } from "./options.js";
export { loadPolicy, readPolicyFile } from "./load-policy.js";
export { loadExternalFiles, EXTERNAL_GUEST_PATH, type ExternalFilesOptions } from "./external-files.js";
export { resolveRuntime, installedRuntimes } from "./runtime-discovery.js";
export * from "./sessions/index.js";
export {
  defineTool,
  describeTools,
  TOOL_LANGUAGES,
  toolNameProblem,
  toolManifest,
  MAX_TOOLS,
  foreignTools,
  toolIdentifier,
  isZodSchema,
  zodFromJsonSchema,
  type ForeignTool,
  type ToolContext,
  type ToolDefinition,
  type ToolSet,
  type ToolLanguage,
  type ToolManifestEntry,
  type ToolParameter,
} from "./tools/index.js";
export {
  createCodeExecution,
  type CodeExecution,
  type CodeExecutionOptions,
  type CodeExecutionSandboxOptions,
  type CodeExecutionInput,
  type CodeExecutionInputSchema,
  type CodeExecutionCallOptions,
} from "./code-execution/code-execution.js";
export { describeCodeExecution, type CodeExecutionDescriptionInput } from "./code-execution/describe-code-execution.js";
export {
  compactResult,
  DEFAULT_MAX_OUTPUT_CHARS,
  DEFAULT_MAX_LISTED_FILES,
  type CompactResult,
  type CompactResultOptions,
  type CompactError,
  type CompactFileChanges,
} from "./model-output/compact-result.js";
export { clipHeadTail, type ClippedText } from "./model-output/clip-head-tail.js";
export { renderCompactResult } from "./model-output/render-compact-result.js";
export { memoryStorage, type MemoryStorageOptions } from "@llm-wasm-sandbox/storage-memory";
export type { WarmUpResult } from "./warm-up.js";
export { diskStorage, type DiskStorageOptions } from "@llm-wasm-sandbox/storage-disk";
export {
  // errors
  SandboxError,
  PolicyValidationError,
  SandboxExecutionError,
  SessionNotFoundError,
  SessionExistsError,
  RuntimeNotInstalledError,
  InvalidSessionIdError,
  InvalidPathError,
  HostFileError,
  FileNotFoundError,
  StorageConflictError,
  StorageQuotaError,
  StorageError,
  // models and contracts
  RuntimeType,
  ExecutionPolicySchema,
  SandboxResultSchema,
  DEFAULT_POLICY,
  resolvePolicy,
  registerRuntime,
  defaultRegistry,
  RuntimeRegistry,
  fuelAnalysis,
  errorGuidance,
  renderGuidance,
  errorMessageFor,
  LogEvent,
  silentLogger,
  toValidationIssues,
} from "@llm-wasm-sandbox/core";
export type {
  SandboxErrorCode,
  ValidationIssue,
  HostFileProblem,
  ExecutionPolicy,
  ExecutionPolicyInput,
  SandboxResult,
  SandboxResultFields,
  SuccessfulResult,
  FailedResult,
  TrappedResult,
  TrapReason,
  ToolCallRecord,
  FuelStatus,
  SessionMetadata,
  PruneResult,
  RuntimePlugin,
  RuntimePackages,
  RuntimePackageOptions,
  InstalledPackage,
  PrepareRequest,
  PrepareContext,
  ImageSource,
  SnapshotSpec,
  RunSpec,
  Refusal,
  GuestFact,
  RawRun,
  RunInterpretation,
  WorkspaceSource,
  ReadonlyMount,
  StorageAdapter,
  WorkspaceEntry,
  Journal,
  JournalEntry,
  CommitResult,
  CommitOptions,
  CommitPlan,
  SessionSnapshot,
  SessionQuota,
  SessionRecord,
  FuelAnalysis,
  ErrorGuidance,
  Remedy,
  GuidanceStep,
  GuidanceChannel,
  GuidanceReader,
  SandboxLogger,
} from "@llm-wasm-sandbox/core";
