import { z } from "zod";

/** The common failure kinds; runtimes may report their own (e.g. `NameError`). */
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

export const ErrorGuidanceSchema = z.object({
  errorType: z.string(),
  /** The language's own error name and message, when one was parsed. */
  errorMessage: z.string().nullable(),
  actionableGuidance: z.array(z.string()),
  relatedDocs: z.array(z.string()),
});
/** What went wrong and what to do about it, written for an LLM or a person. */
export type ErrorGuidance = z.output<typeof ErrorGuidanceSchema>;
