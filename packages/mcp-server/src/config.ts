import { homedir } from "node:os";
import { join } from "node:path";
import { BUILTIN_RUNTIME_PACKAGES } from "@llm-wasm-sandbox/core";
import type * as S3 from "@llm-wasm-sandbox/storage-s3";
import { type ExecutionPolicyInput, loadExternalFiles, readPolicyFile, type ReadonlyMount, resolveStorage, type StorageAdapter } from "llm-wasm-sandbox";
import { z } from "zod";
import { LOG_LEVELS } from "./logger.js";
import { addPackageHint, importOptional } from "./optional-package.js";

const MiB = 1024 * 1024;
const S3_PACKAGE = "@llm-wasm-sandbox/storage-s3";

/** Command-line options of `llm-wasm-mcp`, validated. */
export const CliOptionsSchema = z
  .object({
    transport: z.enum(["stdio", "http"]).default("stdio"),
    host: z.string().default("127.0.0.1"),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    authTokens: z.array(z.string().min(16, "use tokens of at least 16 characters")).default([]),
    allowedHosts: z.array(z.string().min(1)).default([]),
    corsOrigins: z.array(z.string()).default([]),
    maxRequestMb: z.coerce.number().positive().default(16),
    rateLimit: z.coerce.number().int().positive().default(600),
    maxConcurrent: z.coerce.number().int().positive().default(4),
    maxPending: z.coerce.number().int().positive().default(32),
    idleTimeoutMinutes: z.coerce.number().positive().default(30),
    externalFiles: z.array(z.string()).default([]),
    maxExternalFileSizeMb: z.coerce.number().positive().default(50),
    storageDir: z.string().optional(),
    storage: z.string().regex(/^s3:\/\/[^/]+(\/.*)?$/, "s3://bucket/prefix").optional(),
    s3Endpoint: z.string().url().optional(),
    s3Region: z.string().default("us-east-1"),
    fuel: z.coerce.number().int().positive().optional(),
    memory: z.coerce.number().int().positive().optional(),
    timeout: z.coerce.number().int().positive().optional(),
    maxTimeout: z.coerce.number().positive().default(300),
    keepAliveMax: z.coerce.number().int().min(0).max(1024).default(8),
    keepAliveIdleMinutes: z.coerce.number().positive().max(1440).default(5),
    maxOutputChars: z.coerce.number().int().positive().default(20_000),
    sessionTtlHours: z.coerce.number().nonnegative().default(24),
    ephemeralSessionTtlMinutes: z.coerce.number().nonnegative().default(60),
    runtimes: z.array(z.string()).optional(),
    // Runtimes whose worker threads keep a pre-warmed instance ready; "none" turns it off.
    prewarm: z.array(z.string().min(1)).optional(),
    config: z.string().optional(),
    vendorDir: z.string().optional(),
    packageIndex: z.string().url().optional(),
    logLevel: z.enum(LOG_LEVELS).default("info"),
    toolsFrom: z.array(z.string().min(1)).default([]),
    toolsAllow: z.array(z.string().min(1)).default([]),
    toolsAllowWrites: z.boolean().default(false),
    toolsMaxCalls: z.coerce.number().int().nonnegative().default(50),
  })
  .strict();
export type CliOptions = z.output<typeof CliOptionsSchema>;

/** Default session storage for the MCP server (a stable place; Claude Desktop starts it with cwd `/`). */
export function defaultStorageDir(): string {
  const data = process.env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(data, "llm-wasm-sandbox", "mcp-workspace");
}

/** The server-wide policy: --config file, then --fuel/--memory/--timeout (ms). */
export async function policyFrom(opts: CliOptions): Promise<ExecutionPolicyInput> {
  return {
    ...(opts.config ? await readPolicyFile(opts.config) : {}),
    ...(opts.fuel !== undefined ? { fuelBudget: opts.fuel } : {}),
    ...(opts.memory !== undefined ? { memoryBytes: opts.memory } : {}),
    ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
    ...(opts.toolsFrom.length > 0 ? { maxToolCalls: opts.toolsMaxCalls } : {}),
  };
}

/** Disk (default) or S3 storage, as the options say. */
export async function storageFrom(opts: CliOptions): Promise<StorageAdapter> {
  if (!opts.storage) return resolveStorage({ workspaceRoot: opts.storageDir ?? defaultStorageDir() });
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(opts.storage)!;
  // S3 is an optional peer: the AWS SDK is installed only by those who keep sessions there.
  const s3 = await importOptional<typeof S3>(S3_PACKAGE);
  if (!s3) throw new Error(`--storage ${opts.storage} keeps sessions in S3, which needs ${S3_PACKAGE} (it brings the AWS SDK): ${addPackageHint(S3_PACKAGE)}`);
  const { s3Storage } = s3;
  return s3Storage({
    bucket: m[1]!,
    prefix: m[2] ?? "",
    clientConfig: { region: opts.s3Region, ...(opts.s3Endpoint ? { endpoint: opts.s3Endpoint, forcePathStyle: true } : {}) },
  });
}

/** The read-only /external mount from --external-files. */
export async function mountsFrom(opts: CliOptions): Promise<ReadonlyMount[]> {
  if (opts.externalFiles.length === 0) return [];
  return [await loadExternalFiles(opts.externalFiles, { maxFileBytes: Math.round(opts.maxExternalFileSizeMb * MiB) })];
}

export { MiB };

/** `--prewarm` (`none`: no runtime), or by default every offered runtime that has something to pre-warm. */
export function prewarmedRuntimes(opts: Pick<CliOptions, "prewarm" | "runtimes">, notInstalled: readonly { readonly language: string }[]): string[] {
  if (opts.prewarm) return opts.prewarm.filter((r) => r !== "none");
  const offered = opts.runtimes ?? Object.keys(BUILTIN_RUNTIME_PACKAGES);
  // The user's own WebAssembly module is compiled per run: nothing to keep ready.
  return offered.filter((r) => r !== "wasm" && !notInstalled.some((m) => m.language === r));
}
