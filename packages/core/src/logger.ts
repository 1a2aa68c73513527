/** A log method as pino defines it: an object of fields first, then a message. */
export type LogFn = (fields: Record<string, unknown>, message?: string) => void;

/** The logger interface the sandbox writes to; a pino logger satisfies it. */
export interface SandboxLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** Structured events the sandbox emits (the `event` field of each log line). */
export const LogEvent = {
  EXECUTION_START: "execution.start",
  EXECUTION_COMPLETE: "execution.complete",
  SESSION_CREATED: "session.created",
  SESSION_RESUMED: "session.resumed",
  SESSION_DELETED: "session.deleted",
  /** A file was written into a session from the host (`writeSessionFile`). */
  SESSION_FILE_WRITTEN: "session.file.written",
  /** A file or directory was deleted from a session by the host (`deleteSessionPath`). */
  SESSION_FILE_DELETED: "session.file.deleted",
  PRUNE: "sessions.prune",
  /** A guest called a host function (code mode): tool, ok, ms. */
  TOOL_CALL: "tool.call",
  /** A host warmed a runtime up at creation (`createSandboxHost({ prewarm })`): runtime, ready, durationMs or error. */
  HOST_WARM_UP: "host.warm-up",
} as const;

const noop: LogFn = () => {};

/** The default logger: says nothing. */
export const silentLogger: SandboxLogger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
