import type { SandboxLogger } from "@llm-wasm-sandbox/core";

/**
 * A `SandboxLogger` that appends every structured log line (its fields object, whatever the
 * level) to `events`, then calls `onEvent` with it — for tests that wait for or assert on
 * `LogEvent`s such as `execution.complete` with `trapReason: "cancelled"`.
 */
export function recordingLogger(events: Record<string, unknown>[], onEvent: (fields: Record<string, unknown>) => void = () => {}): SandboxLogger {
  const log = (fields: unknown): void => {
    if (typeof fields !== "object" || fields === null) return;
    events.push(fields as Record<string, unknown>);
    onEvent(fields as Record<string, unknown>);
  };
  return { debug: log, info: log, warn: log, error: log };
}
