export * from "./errors/index.js";
export { RuntimeType, BUILTIN_RUNTIME_PACKAGES, isBuiltinRuntime, type BuiltinRuntimeType } from "./runtime-type.js";
export {
  ExecutionPolicySchema,
  DEFAULT_POLICY,
  resolvePolicy,
  type ExecutionPolicy,
  type ExecutionPolicyInput,
} from "./policy.js";
export { assertMountLayout, HOST_GUEST_PATHS, mountLayoutIssues, mountPathProblem, type NamedGuestPath } from "./mount-layout.js";
export {
  SandboxResultSchema,
  TrapReasonSchema,
  type SandboxResult,
  type SandboxResultFields,
  type SuccessfulResult,
  type FailedResult,
  type TrappedResult,
  type TrapReason,
  type ToolCallRecord,
} from "./result.js";
export {
  SessionMetadataSchema,
  PruneResultSchema,
  canonicalSessionId,
  MAX_SESSION_ID_LENGTH,
  type SessionMetadata,
  type SessionMetadataInput,
  type PruneResult,
} from "./session.js";
export {
  canonicalWorkspacePath,
  GUEST_HOME_ENV,
  isInternalPath,
  INTERNAL_DIR,
  MAX_PATH_LENGTH,
  MAX_NAME_LENGTH,
} from "./workspace-path.js";
export {
  RECORDS_KEPT,
  RECORD_RETENTION_MS,
  RECORDS_MAX,
  keptRecords,
  type StorageAdapter,
  type StorageFactory,
  type WorkspaceEntry,
  type Journal,
  type JournalEntry,
  type CommitResult,
  type CommitOptions,
  type SessionSnapshot,
  type SessionQuota,
  type SessionRecord,
  type SessionMetadataPatch,
} from "./storage.js";
export type {
  RuntimePlugin,
  RuntimePackages,
  RuntimePackageOptions,
  InstalledPackage,
  PrepareRequest,
  PrepareContext,
  ImageSource,
  ImageTransform,
  SnapshotSpec,
  RunSpec,
  Refusal,
  RawRun,
  RunInterpretation,
  WorkspaceSource,
  ReadonlyMount,
} from "./runtime-plugin.js";
export { parseGuestFact, lastFact, stateNotes, GUEST_FACT_LIMITS, type GuestFact, type ErrorFact, type StateFact } from "./guest-facts.js";
export { RuntimeRegistry, defaultRegistry, registerRuntime } from "./registry.js";
export { formatCount } from "./format-count.js";
export { fuelAnalysis, suggestFuelBudget, EXHAUSTED_BUDGET_FACTOR, FuelAnalysisSchema, FuelStatusSchema, type FuelAnalysis, type FuelPace, type FuelStatus } from "./guidance/fuel-analysis.js";
export { errorGuidance, type FailureFacts, type LanguageError } from "./guidance/error-guidance.js";
export { ErrorGuidanceSchema, type ErrorGuidance } from "./guidance/error-guidance-schema.js";
export { CommonErrorType } from "./guidance/common-error-type.js";
export { renderGuidance, type Remedy, type GuidanceStep, type GuidanceChannel, type GuidanceReader } from "./guidance/remedy.js";
export { errorMessageFor } from "./guidance/error-message.js";
export { silentLogger, LogEvent, type SandboxLogger, type LogFn } from "./logger.js";
export { parseOrThrow, toValidationIssues } from "./validation.js";
export { planCommit, isEmptyPlan, emptyPlan, removedBy, type CommitPlan, type PlannedWrite, type PlannedRemoval } from "./commit-plan.js";
export { checkExpectedVersion, checkSessionQuota, checkPlanPaths, checkCommitOptions, checkRecordKey, tightestQuota, MAX_RECORD_KEY_LENGTH } from "./commit-checks.js";
export { KeyedMutex } from "./keyed-mutex.js";
