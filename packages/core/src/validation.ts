import type { z } from "zod";
import { PolicyValidationError, type ValidationIssue } from "./errors/policy-validation-error.js";

/** Turns zod issues into readable `ValidationIssue`s, naming unknown keys. */
export function toValidationIssues(error: z.ZodError, prefix = ""): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return { path, message: `unknown key${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}` };
    }
    return { path, message: issue.message };
  });
}

/** Parses `input` with `schema`, throwing PolicyValidationError with every issue. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new PolicyValidationError(toValidationIssues(parsed.error), source, { cause: parsed.error });
  return parsed.data;
}
