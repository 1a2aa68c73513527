/**
 * Warming a host up (issue 19): right after `createSandboxHost({ prewarm })`, in the
 * background, each listed runtime runs one empty program through the host's runner (no
 * session, no storage; the runtime's default policy). That pays, before the first real execute, what the
 * first run of a runtime pays once — the runtime's image compiled from the disk cache, its
 * interpreter snapshot loaded, a pool thread started with the driver imported — and leaves
 * that thread's first pre-warmed instance waiting, so the first real run of the runtime
 * can start from one (JavaScript's and Lua's instances are started for the default policy's
 * clock and env: runs with others start theirs cold). The instance it leaves never replaces
 * one a real run left (a real first run may finish before the warm-up's). Nothing of the
 * empty run is kept but what the host memoizes anyway.
 */
import { LogEvent, resolvePolicy, type SandboxLogger } from "@llm-wasm-sandbox/core";
import { resolveRuntime } from "./runtime-discovery.js";
import type { SandboxHost } from "./sandbox-host.js";

/** How one runtime's warm-up went. */
export interface WarmUpResult {
  readonly runtime: string;
  /** False when the runtime is not installed, the host closed first, or its empty program did not run. */
  readonly ready: boolean;
  /** Wall time of the warm-up, ms. */
  readonly durationMs: number;
  /** Why it is not ready. */
  readonly error?: string;
}

/**
 * Warms `runtimes` up on `host` one after another (so they hold at most one pool thread
 * at a time and the others stay free for real work). Never rejects: each result says
 * whether its runtime is ready. Stops once the host is closing.
 */
export async function warmUpHost(host: SandboxHost, runtimes: readonly string[], logger: SandboxLogger): Promise<WarmUpResult[]> {
  const results: WarmUpResult[] = [];
  for (const runtime of runtimes) {
    const started = performance.now();
    const fail = (error: string): void => {
      results.push({ runtime, ready: false, durationMs: performance.now() - started, error });
      logger.debug({ event: LogEvent.HOST_WARM_UP, runtime, ready: false, error }, "runtime warm-up skipped");
    };
    if (host.closed) {
      fail("the host was closed");
      continue;
    }
    try {
      const plugin = await resolveRuntime(runtime, host.registry);
      const policy = resolvePolicy(plugin.defaults, {});
      const { raw, interpretation } = await host.runner.execute(plugin, {
        request: { code: "", policy, sessionId: "warm-up", mounts: [], autoPersistGlobals: false, args: [] },
        workspace: { entries: [], read: (path) => Promise.reject(new Error(`no file ${path} in a warm-up`)) },
        warmUp: true,
      });
      // The success rule of a result (build-result.ts): no trap, and the plugin's verdict or exit code 0.
      if (raw.trapReason !== null || !(interpretation.success ?? raw.exitCode === 0)) {
        throw new Error(`its empty program failed: ${(raw.trapMessage ?? raw.stderr).slice(0, 300)}`);
      }
      const durationMs = performance.now() - started;
      results.push({ runtime, ready: true, durationMs });
      logger.debug({ event: LogEvent.HOST_WARM_UP, runtime, ready: true, durationMs: Math.round(durationMs) }, "runtime warmed up");
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }
  return results;
}
