import { hasMarker } from "@llm-wasm-sandbox/core";
import { SandboxError } from "llm-wasm-sandbox";

const marker = Symbol.for("llm-wasm-sandbox.ExecutionLimitError");

/** Why an execution was refused: the client's own concurrency limit, or the whole server's queue bound. */
export interface GateRefusal {
  readonly scope: "client" | "server";
  /** The limit that was reached (executions). */
  readonly limit: number;
  /** When to try again, seconds. */
  readonly retryAfterSeconds: number;
}

/** An execution refused by the server's admission limits; `refusal` says whose limit it was. */
export class ExecutionLimitError extends SandboxError {
  readonly [marker] = true;
  readonly refusal: GateRefusal;

  constructor(refusal: GateRefusal) {
    super(
      "EXECUTION_LIMIT",
      refusal.scope === "client"
        ? `too many concurrent executions for this client (limit ${refusal.limit}); wait for one to finish and retry`
        : `the server is running its maximum of ${refusal.limit} executions; retry in ${refusal.retryAfterSeconds} s`,
    );
    this.refusal = refusal;
  }

  static override isInstance(e: unknown): e is ExecutionLimitError {
    return hasMarker(e, marker);
  }
}
