import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Daemon, freePorts, startDaemon, waitFor } from "@llm-wasm-sandbox/ceph-rgw";

/** Where the fleet keeps sessions and how it reaches the bucket. */
export interface FleetStorage {
  readonly endpoint: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** One `llm-wasm-mcp --transport http` process on a fixed port (so a restart comes back at the same address). */
export interface McpHost {
  readonly name: string;
  readonly port: number;
  readonly running: boolean;
  start(): Promise<void>;
  /** SIGKILL: no graceful shutdown, in-flight executions die with it. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** The server binary, as installed: `pnpm test` builds it before the tests run. */
const CLI = join(dirname(createRequire(import.meta.url).resolve("@llm-wasm-sandbox/mcp-server/package.json")), "dist", "cli.js");

/**
 * Hosts serving sessions from one S3 bucket. Behind one load balancer every
 * client comes from 127.0.0.1, so the per-client rate and concurrency limits are
 * raised to what the whole test needs.
 */
export async function mcpFleet(count: number, storage: FleetStorage, logDir: string): Promise<McpHost[]> {
  const hosts = (await freePorts(count)).map((port, i) => mcpHost(`host${i + 1}`, port, storage, logDir));
  await Promise.all(hosts.map((h) => h.start()));
  return hosts;
}

function mcpHost(name: string, port: number, storage: FleetStorage, logDir: string): McpHost {
  let daemon: Daemon | null = null;
  const logFile = join(logDir, `${name}.log`);
  const args = [
    CLI,
    "--transport", "http",
    "--host", "127.0.0.1",
    "--port", String(port),
    "--storage", `s3://${storage.bucket}/${storage.prefix}`,
    "--s3-endpoint", storage.endpoint,
    "--runtimes", "javascript",
    "--max-concurrent", "64",
    "--rate-limit", "100000",
    "--log-level", "warn",
  ];
  const env = { ...process.env, AWS_ACCESS_KEY_ID: storage.accessKeyId, AWS_SECRET_ACCESS_KEY: storage.secretAccessKey };
  return {
    name,
    port,
    get running() {
      return daemon !== null;
    },
    async start() {
      const before = (await readFile(logFile, "utf8").catch(() => "")).length;
      daemon = startDaemon(name, process.execPath, args, { logFile, env });
      await waitFor(`${name} to listen`, Date.now() + 60_000, async () => (await readFile(logFile, "utf8")).slice(before).includes("listening on"), 100);
    },
    async kill() {
      await daemon?.stop("SIGKILL");
      daemon = null;
    },
    async stop() {
      await daemon?.stop();
      daemon = null;
    },
  };
}
