import { hasMarker } from "@llm-wasm-sandbox/core";
import { SandboxError } from "llm-wasm-sandbox";

const marker = Symbol.for("llm-wasm-sandbox.ToolInputError");

/** A tool was called with arguments the server cannot serve (unknown language, oversize file…). */
export class ToolInputError extends SandboxError {
  readonly [marker] = true;

  constructor(message: string) {
    super("TOOL_INPUT", message);
  }

  static override isInstance(e: unknown): e is ToolInputError {
    return hasMarker(e, marker);
  }
}
