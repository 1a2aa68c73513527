import { SandboxError } from "llm-wasm-sandbox";

/** A tool was called with arguments the server cannot serve (unknown language, oversize file…). */
export class ToolInputError extends SandboxError {
  constructor(message: string) {
    super("INVALID_INPUT", message);
  }
}
