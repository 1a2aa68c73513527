/**
 * How the driver starts the sandbox's Ruby (runtimes/ruby/guest/*.rb): the arguments of
 * `ruby-init`, the files evaluated into the VM the snapshot is taken of, and the one line
 * a run evaluates. The line carries the run's parameters as data (one JSON string
 * literal); the code that reads them is guest/runtime.rb's `LLMSandboxRuntime.start`.
 * Guest sources are inlined at build time (`?raw` imports): import this module from the
 * worker side only.
 */
import compatRb from "../guest/compat.rb?raw";
import preloadRb from "../guest/preload.rb?raw";
import runtimeRb from "../guest/runtime.rb?raw";
import stateRb from "../guest/state.rb?raw";
import toolsRb from "../guest/tools.rb?raw";

/** Arguments `ruby-init` gets: UTF-8 source and external encoding, and an empty `-e` program (no script file). */
export const RUBY_INIT_ARGS: readonly string[] = ["ruby", "-EUTF-8", "-e_=0"];

/** A guest file evaluated into the VM before the snapshot is taken. */
export interface GuestFile {
  /** File name under guest/, for messages. */
  readonly name: string;
  /** Ruby source. */
  readonly source: string;
}

/** Evaluated in this order after `ruby-init`; preload.rb ends with a GC. */
export const SNAPSHOT_FILES: readonly GuestFile[] = [
  { name: "runtime.rb", source: runtimeRb },
  { name: "state.rb", source: stateRb },
  { name: "compat.rb", source: compatRb },
  { name: "tools.rb", source: toolsRb },
  { name: "preload.rb", source: preloadRb },
];

/** What `LLMSandboxRuntime.start` reads (JSON). */
export interface RunParameters {
  /** Guest path of the user's program. */
  readonly path: string;
  /** Environment the guest sees (the run's: policy env over the plugin's additions); replaces the snapshot's. */
  readonly env: Readonly<Record<string, string>>;
  /** ARGV. */
  readonly argv: readonly string[];
  /** Guest path of the state file when globals are persisted, else null. */
  readonly statePath: string | null;
  /** Guest path of the control device, opened before any user code runs. */
  readonly controlPath: string;
  /** The run's host-function manifest (`ControlChannel.tools`, parsed), or null when it has none: `Tools` is defined only then. */
  readonly tools: readonly unknown[] | null;
  /**
   * A warm session (keepAlive): the run returns its exit status instead of ending the
   * guest with `exit!`, keeps the control device and `$state` it already has, and the VM
   * runs the session's next program.
   */
  readonly keep?: boolean;
}

/** The Ruby line a run evaluates (it ends the guest with `exit!`, or returns the exit status when `keep`). */
export function runLine(params: RunParameters): string {
  return `LLMSandboxRuntime.start(${rubyString(JSON.stringify(params))})`;
}

/**
 * A Ruby string literal with exactly the characters of `s`: single-quoted literals have
 * only two escapes (`\\` and `\'`), so nothing else in `s` can be interpreted.
 */
export function rubyString(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
