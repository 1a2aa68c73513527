import { hasMarker } from "./has-marker.js";
import { SandboxError } from "./sandbox-error.js";

const marker = Symbol.for("llm-wasm-sandbox.HostFileError");

/** Why a host file was not read. */
export type HostFileProblem =
  /** Nothing at that path. */
  | "not-found"
  /** The final component is a symlink and the caller does not follow symlinks. */
  | "symlink"
  /** A directory, FIFO, socket or device: only regular files are read. */
  | "not-regular"
  /** Larger than the caller's cap (also when it grew past the cap while being read). */
  | "too-large"
  /** Permissions or an I/O error. */
  | "unreadable";

/**
 * A file on the host that the sandbox was asked to read (a program file, a policy
 * TOML, an external file, a wheel) was refused or could not be read. The message is
 * one line naming the file and what to do; `problem` says why in a stable form.
 */
export class HostFileError extends SandboxError {
  readonly [marker] = true;
  /** The path as the caller gave it. */
  readonly path: string;
  readonly problem: HostFileProblem;

  constructor(path: string, problem: HostFileProblem, message: string, options?: { cause?: unknown }) {
    super("HOST_FILE", message, options);
    this.path = path;
    this.problem = problem;
  }

  static override isInstance(e: unknown): e is HostFileError {
    return hasMarker(e, marker);
  }
}
