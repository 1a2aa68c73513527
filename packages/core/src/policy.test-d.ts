import { expectTypeOf } from "vitest";
import type { z } from "zod";
import type { ExecutionPolicy, ExecutionPolicyInput, ExecutionPolicySchema } from "./policy.js";

// The interfaces exist so the published .d.ts keeps each field's TSDoc; they must stay
// exactly what the schema produces and accepts.
expectTypeOf<ExecutionPolicy>().toEqualTypeOf<z.output<typeof ExecutionPolicySchema>>();
expectTypeOf<ExecutionPolicyInput>().toEqualTypeOf<z.input<typeof ExecutionPolicySchema>>();
