/**
 * The common failure kinds; runtimes may report their own (e.g. `NameError`). Kept apart
 * from the guidance schema: the `@llm-wasm-sandbox/core/common-error-type` entry gives them
 * to a runtime plugin without core's main entry and zod.
 */
export const CommonErrorType = {
  OUT_OF_FUEL: "OutOfFuel",
  MEMORY_LIMIT: "MemoryLimit",
  TIMEOUT: "Timeout",
  STACK_OVERFLOW: "StackOverflow",
  PATH_OUTSIDE_WORKSPACE: "PathOutsideWorkspace",
  MISSING_PACKAGE: "MissingPackage",
  SYNTAX_ERROR: "SyntaxError",
  OUTPUT_TRUNCATED: "OutputTruncated",
  RUNTIME_ERROR: "RuntimeError",
} as const;
