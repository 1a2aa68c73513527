import {
  type ExecutionPolicyInput,
  parseOrThrow,
  type ReadonlyMount,
  type RuntimeRegistry,
  type RuntimeType,
  type SandboxLogger,
  type StorageAdapter,
} from "@llm-wasm-sandbox/core";
import { z } from "zod";
import type { SandboxHost } from "./sandbox-host.js";
import { type KeepAliveOption, KeepAliveOptionSchema } from "./sessions/keep-alive.js";
import type { ToolSet } from "./tools/define-tools.js";

/** Options of `createSandbox`. */
export interface CreateSandboxOptions {
  /** Runtime name: "python", "javascript", "ruby", "lua", "wasm", or a registered plugin's type. */
  readonly runtime: RuntimeType;
  /** Limits and grants; validated, merged over the runtime's defaults. */
  readonly policy?: ExecutionPolicyInput;
  /** Resume this session. Without it a new session (UUID) is created. */
  readonly sessionId?: string;
  /** Create the session when `sessionId` names one that does not exist (default false: SessionNotFoundError). */
  readonly createIfMissing?: boolean;
  /** Accept session ids that are not UUIDs (default true; ids are still canonical: no '/', '\\', '..'). */
  readonly allowNonUuid?: boolean;
  /** Root directory of the default disk storage (default `./workspace`). Ignored when `storage` is given. */
  readonly workspaceRoot?: string;
  /** Where sessions live: any StorageAdapter (memory, disk, S3, your own). */
  readonly storage?: StorageAdapter;
  /** Persist the language's globals between executions of the session. New sessions default to false; resumed ones keep their setting. */
  readonly autoPersistGlobals?: boolean;
  /** Extra read-only mounts (e.g. from `loadExternalFiles`). */
  readonly mounts?: readonly ReadonlyMount[];
  /** Structured logger (a pino logger fits); silent by default. */
  readonly logger?: SandboxLogger;
  /** Registry to look runtimes up in (default: the host's). */
  readonly registry?: RuntimeRegistry;
  /**
   * The host that runs this sandbox's executions: worker pool, runtime images, snapshots,
   * cache directory (default: the process-wide host). See `createSandboxHost`.
   */
  readonly host?: SandboxHost;
  /**
   * Host functions the guest may call ("code mode"), in addition to the host's own (a
   * sandbox's tool wins over a host tool of the same name). Each is `{ description, input,
   * output?, handler }` with zod schemas; see `defineTool` and `describeTools`.
   */
  readonly tools?: ToolSet;
  /**
   * Keep the interpreter alive between executions (a warm session, like a notebook
   * kernel): `true`, or `{ idleMs }` to end it after that long idle (default: the host's).
   * Each result's `warm` says whether it continued the live interpreter. Limits apply per
   * execution; a timeout or trap ends the interpreter and the next execution runs cold from
   * the session's files and saved state. Runtimes that cannot continue an interpreter run
   * cold and say so in `notes`. Off by default.
   */
  readonly keepAlive?: KeepAliveOption;
}

/** Per-call options of `Sandbox.execute`. */
export interface ExecuteOptions {
  /** Policy fields overriding the sandbox's policy for this call only (e.g. `{ timeoutMs }`). */
  readonly policy?: ExecutionPolicyInput;
  /** Program arguments. */
  readonly args?: readonly string[];
  /** Cancels the run (reported as trap `cancelled`). */
  readonly signal?: AbortSignal;
  /** Called with stdout text as the guest writes it (within the cap), while the run is in flight. */
  readonly onStdout?: (text: string) => void;
  /** Called with stderr text as the guest writes it (within the cap), while the run is in flight. */
  readonly onStderr?: (text: string) => void;
  /**
   * Runs at most once per session for this key (1–256 characters): the result is
   * stored with the run's commit, and a retry with the same key — after a timeout,
   * a crash, a lost reply — returns it without running again.
   */
  readonly idempotencyKey?: string;
}

const isObject = (v: unknown): v is object => typeof v === "object" && v !== null;

const MountSchema = z
  .object({
    guestPath: z.string().regex(/^\/[A-Za-z0-9_.\-/]+$/, "an absolute guest path").refine((p) => !p.split("/").includes(".."), "no '..'"),
    hostPath: z.string().optional(),
    files: z.record(z.string(), z.instanceof(Uint8Array)).optional(),
  })
  .refine((m) => m.guestPath !== "/app" && !m.guestPath.startsWith("/app/"), "a mount must not shadow /app");

const CreateSandboxOptionsSchema = z
  .object({
    runtime: z.string({ error: "runtime is required, e.g. \"python\"" }).min(1),
    policy: z.record(z.string(), z.unknown()).optional(),
    sessionId: z.string().optional(),
    createIfMissing: z.boolean().optional(),
    allowNonUuid: z.boolean().optional(),
    workspaceRoot: z.string().min(1).optional(),
    storage: z.custom<StorageAdapter>((v) => isObject(v) && "commit" in v && "listFiles" in v, "a StorageAdapter").optional(),
    autoPersistGlobals: z.boolean().optional(),
    mounts: z.array(MountSchema).optional(),
    logger: z.custom<SandboxLogger>((v) => isObject(v) && "info" in v && "warn" in v, "a logger with debug/info/warn/error").optional(),
    registry: z.custom<RuntimeRegistry>((v) => isObject(v) && "get" in v && "register" in v, "a RuntimeRegistry").optional(),
    host: z.custom<SandboxHost>((v) => isObject(v) && "runner" in v && "close" in v, "a SandboxHost from createSandboxHost()").optional(),
    tools: z.custom<ToolSet>((v) => isObject(v) && !Array.isArray(v), "an object of tools by name").optional(),
    keepAlive: KeepAliveOptionSchema.optional(),
  })
  .strict();

/** Validates `createSandbox` options. @throws PolicyValidationError */
export function parseCreateOptions(input: unknown): CreateSandboxOptions {
  return parseOrThrow(CreateSandboxOptionsSchema, input, "createSandbox options") as CreateSandboxOptions;
}

/** Largest source accepted by `execute` (bytes of UTF-8). */
export const MAX_CODE_BYTES = 10 * 1024 * 1024;

const ExecuteInputSchema = z.object({
  code: z.string({ error: "code must be a string" }).refine((c) => Buffer.byteLength(c) <= MAX_CODE_BYTES, `code is larger than ${MAX_CODE_BYTES} bytes`),
  options: z
    .object({
      policy: z.record(z.string(), z.unknown()).optional(),
      args: z.array(z.string()).optional(),
      signal: z.instanceof(AbortSignal).optional(),
      onStdout: z.custom<(text: string) => void>((v) => typeof v === "function", "a function").optional(),
      onStderr: z.custom<(text: string) => void>((v) => typeof v === "function", "a function").optional(),
      idempotencyKey: z.string().min(1).max(256).optional(),
    })
    .strict()
    .optional(),
});

/** Validates `execute` input. @throws PolicyValidationError */
export function parseExecuteInput(code: unknown, options: unknown): { code: string; options: ExecuteOptions } {
  // `execute(code)`: the schema's checks without building its result (a UTF-16 unit is at most 3 bytes of UTF-8).
  if (options === undefined && typeof code === "string" && (code.length * 3 <= MAX_CODE_BYTES || Buffer.byteLength(code) <= MAX_CODE_BYTES)) return { code, options: {} };
  const parsed = parseOrThrow(ExecuteInputSchema, { code, options }, "execute input");
  return { code: parsed.code, options: (parsed.options ?? {}) as ExecuteOptions };
}
