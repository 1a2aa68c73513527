import { z } from "zod";
import type { GuidanceStep } from "./remedy.js";

/** What went wrong and what to do about it, written for an LLM or a person. */
export interface ErrorGuidance {
  /** A {@link CommonErrorType} value (`OutOfFuel`, `MissingPackage`, …) or the language's error name (`KeyError`); at most 120 characters. */
  errorType: string;
  /** The language's own error name and message (`KeyError: 'x'`), or the trap message; null when neither exists. At most 2000 characters. */
  errorMessage: string | null;
  /** Steps to take, one sentence each, in order, worded for the reader the result was built for (by default a library user). */
  actionableGuidance: string[];
  /** The same steps before rendering: `renderGuidance(steps, reader)` words them for another reader (CLI, MCP). */
  steps: GuidanceStep[];
  /** Documentation sections that explain the failure. */
  relatedDocs: string[];
}

/** Validates an {@link ErrorGuidance}. */
export const ErrorGuidanceSchema: z.ZodType<ErrorGuidance> = z.object({
  errorType: z.string(),
  errorMessage: z.string().nullable(),
  actionableGuidance: z.array(z.string()),
  steps: z.array(
    z.union([
      z.string(),
      z.object({ remedy: z.literal("raise-fuel"), suggested: z.number() }),
      z.object({ remedy: z.literal("raise-memory"), currentBytes: z.number().optional() }),
      z.object({ remedy: z.literal("raise-timeout"), currentMs: z.number().optional() }),
      z.object({ remedy: z.literal("install-package"), name: z.string() }),
      z.object({ remedy: z.literal("persist-state"), what: z.string() }),
    ]),
  ),
  relatedDocs: z.array(z.string()),
});
