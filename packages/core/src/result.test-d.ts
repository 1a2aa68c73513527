import { expectTypeOf } from "vitest";
import type { z } from "zod";
import type { ErrorGuidance } from "./guidance/error-guidance-schema.js";
import type { SandboxResult, SandboxResultSchema, TrapReason } from "./result.js";

// The schema validates exactly the documented type.
expectTypeOf<z.output<typeof SandboxResultSchema>>().toEqualTypeOf<SandboxResult>();

declare const result: SandboxResult;

// `trapped` narrows the trap fields; `success` narrows the guidance.
if (result.trapped) {
  expectTypeOf(result.trapReason).toEqualTypeOf<TrapReason>();
  expectTypeOf(result.success).toEqualTypeOf<false>();
  expectTypeOf(result.errorGuidance).toEqualTypeOf<ErrorGuidance>();
} else {
  expectTypeOf(result.trapReason).toEqualTypeOf<null>();
}
if (result.success) {
  expectTypeOf(result.errorGuidance).toEqualTypeOf<null>();
  expectTypeOf(result.trapped).toEqualTypeOf<false>();
} else {
  expectTypeOf(result.errorGuidance).toEqualTypeOf<ErrorGuidance>();
}
