import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type ExecutionPolicyInput,
  type PrepareRequest,
  type RawRun,
  type ReadonlyMount,
  resolvePolicy,
  type RunInterpretation,
  type RuntimePlugin,
} from "@llm-wasm-sandbox/core";
import { createRunner, type Runner } from "@llm-wasm-sandbox/wasi-host";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryWorkspace } from "./memory-workspace.js";

/**
 * Per-language programs the runtime conformance suite runs. Each one is tiny and
 * has a fixed contract, so the suite can judge any language.
 */
export interface RuntimeSnippets {
  /** Prints exactly `conformance-hello` (and a newline). */
  readonly hello: string;
  /** Loops forever without allocating or printing. */
  readonly infiniteLoop: string;
  /** Tries to allocate about 512 MiB at once; prints `ALLOCATED` only if that worked. */
  readonly allocateTooMuch: string;
  /** Prints at least 100,000 bytes to stdout. */
  readonly printMany: string;
  /** Writes the text `conformance-data` to `/app/out.txt`. */
  readonly writeFile: string;
  /** Prints the content of `/app/in.txt`. */
  readonly readFile: string;
  /** Tries `/etc/passwd` and `/app/../../etc/passwd`, printing whatever it could read. */
  readonly readEtcPasswd: string;
  /** Prints the values of environment variables `CONFORMANCE_VAR` and `LLM_SANDBOX_CANARY`. */
  readonly printEnv: string;
  /** Does not parse. */
  readonly syntaxError: string;
  /** Raises an uncaught error whose message contains `conformance-boom`. */
  readonly throwError: string;
  /** Deterministic CPU work that prints something. */
  readonly cpuWork: string;
  /** Unbounded recursion; must end as a failure, never a host crash. */
  readonly deepRecursion?: string;
  /** With autoPersistGlobals: the first sets a value 42; the second prints `persisted=42`. */
  readonly persist?: readonly [set: string, get: string];
}

/** Options of `describeRuntimeConformance`. */
export interface RuntimeConformanceOptions {
  /** Fuel budget for the infinite-loop test (small, so it fails fast). Default 200,000,000. */
  readonly loopFuelBudget?: number;
  /** Memory cap for the allocation test. Default 64 MiB. */
  readonly memoryBytes?: number;
  /** Extra mounts every run gets. */
  readonly mounts?: readonly ReadonlyMount[];
}

/** One run through a harness: the raw run, the plugin's reading of it, and the workspace after it. */
export interface HarnessRun {
  readonly raw: RawRun;
  readonly interp: RunInterpretation;
  readonly workspace: MemoryWorkspace;
}

/** Runs code through a plugin the way the umbrella does (prepare → run → interpret), without storage. */
export interface RuntimeHarness extends AsyncDisposable {
  /** The runner (worker pool, images, snapshots) the harness owns. */
  readonly runner: Runner;
  run(code: string, policy?: ExecutionPolicyInput, workspace?: MemoryWorkspace, autoPersistGlobals?: boolean, args?: readonly string[]): Promise<HarnessRun>;
  /** Closes the runner (its worker threads). */
  close(): Promise<void>;
}

/** The request a harness prepares for `code` (also what the prepare checks use). */
export function prepareRequest(plugin: RuntimePlugin, code: string, options: { policy?: ExecutionPolicyInput; mounts?: readonly ReadonlyMount[]; autoPersistGlobals?: boolean; args?: readonly string[] } = {}): PrepareRequest {
  return {
    code,
    policy: resolvePolicy(plugin.defaults, options.policy ?? {}),
    sessionId: "conformance",
    mounts: options.mounts ?? [],
    autoPersistGlobals: options.autoPersistGlobals ?? false,
    args: options.args ?? [],
  };
}

/** A harness over a plugin with its own runner; close it when done. */
export function createRuntimeHarness(plugin: RuntimePlugin, mounts: readonly ReadonlyMount[] = []): RuntimeHarness {
  const runner = createRunner();
  const harness: RuntimeHarness = {
    runner,
    async run(code, policy = {}, workspace = new MemoryWorkspace(), autoPersistGlobals = false, args = []) {
      const request = prepareRequest(plugin, code, { policy, mounts, autoPersistGlobals, args });
      const { raw, interpretation } = await runner.execute(plugin, { request, workspace: workspace.source() });
      workspace.apply(raw.journal);
      return { raw, interp: interpretation, workspace };
    },
    close: () => runner.close(),
    [Symbol.asyncDispose]: () => runner.close(),
  };
  return harness;
}

/** Whether an interpretation says the run succeeded (the host's default rule when it does not say). */
export function succeeded(run: { raw: RawRun; interp: RunInterpretation }): boolean {
  return (run.interp.success ?? run.raw.exitCode === 0) && run.raw.trapReason === null;
}

/**
 * The runtime conformance suite: every limit, isolation and persistence rule a
 * runtime plugin must honour, parametrized by per-language snippets. Call it at the
 * top level of a vitest test file.
 */
export function describeRuntimeConformance(plugin: RuntimePlugin, snippets: RuntimeSnippets, options: RuntimeConformanceOptions = {}): void {
  describe(`runtime conformance: ${plugin.type}`, () => {
    let h: RuntimeHarness;
    beforeAll(() => {
      h = createRuntimeHarness(plugin, options.mounts);
    });
    afterAll(async () => {
      await h?.close();
    });

    it("declares a v2 plugin with a language version", () => {
      expect(plugin.specificationVersion).toBe("v2");
      expect(plugin.fileExtension).toMatch(/^\.[a-z0-9]+$/i);
      expect(plugin.languageVersion.length).toBeGreaterThan(0);
      expect(Object.isFrozen(plugin)).toBe(true);
    });

    it("prepares plain data: a built driver, argv, clonable driver data (no worker started)", async () => {
      const spec = await plugin.prepare(prepareRequest(plugin, snippets.hello, { args: ["a1"] }), { cacheDir: "/nonexistent", once: (_key, create) => create() });
      expect(spec.kind).toBe("run");
      if (spec.kind !== "run") return;
      expect(existsSync(fileURLToPath(spec.driver))).toBe(true);
      expect(spec.argv.length).toBeGreaterThan(0);
      expect(spec.argv).toContain("a1");
      expect(() => structuredClone(spec.driverData)).not.toThrow();
      if (spec.image !== null) {
        expect(spec.image.id.length).toBeGreaterThan(0);
        expect(typeof spec.image.load).toBe("function");
      }
    });

    it("runs hello world, reporting fuel and memory", async () => {
      const { raw, interp } = await h.run(snippets.hello);
      expect(raw.stdout).toContain("conformance-hello");
      expect(raw.exitCode).toBe(0);
      expect(raw.trapReason).toBeNull();
      expect(succeeded({ raw, interp })).toBe(true);
      expect(raw.fuelConsumed).toBeGreaterThan(0);
      expect(raw.memoryUsedBytes).toBeGreaterThan(0);
    });

    it("stops an infinite loop with out_of_fuel", async () => {
      const budget = options.loopFuelBudget ?? 200_000_000;
      const { raw } = await h.run(snippets.infiniteLoop, { fuelBudget: budget });
      expect(raw.trapReason).toBe("out_of_fuel");
      expect(raw.fuelConsumed).toBeGreaterThanOrEqual(budget);
    });

    it("stops an infinite loop with timeout when fuel would last for hours", async () => {
      const { raw } = await h.run(snippets.infiniteLoop, { fuelBudget: 10_000_000_000_000, timeoutMs: 500 });
      expect(raw.trapReason).toBe("timeout");
    });

    it("keeps memory under the cap and fails the allocation", async () => {
      const cap = options.memoryBytes ?? 64 * 1024 * 1024;
      const { raw, interp } = await h.run(snippets.allocateTooMuch, { memoryBytes: cap });
      expect(raw.stdout).not.toContain("ALLOCATED");
      expect(succeeded({ raw, interp })).toBe(false);
      expect(raw.memoryUsedBytes).toBeLessThanOrEqual(cap);
    });

    it("caps stdout and says it was truncated", async () => {
      const { raw } = await h.run(snippets.printMany, { stdoutMaxBytes: 1000 });
      expect(Buffer.byteLength(raw.stdout)).toBeLessThanOrEqual(1000);
      expect(raw.stdoutTruncated).toBe(true);
    });

    it("journals files written to /app", async () => {
      const { raw, workspace } = await h.run(snippets.writeFile);
      expect(raw.exitCode).toBe(0);
      expect(raw.journal.entries.some((e) => e.op === "write" && e.path === "out.txt")).toBe(true);
      expect(raw.plan?.writes.map((w) => w.path)).toContain("out.txt");
      expect(workspace.text("out.txt")).toBe("conformance-data");
    });

    it("reads workspace files lazily", async () => {
      const ws = new MemoryWorkspace();
      ws.put("in.txt", "conformance-input");
      ws.put("unused/big.bin", new Uint8Array(1024));
      const { raw } = await h.run(snippets.readFile, {}, ws);
      expect(raw.stdout).toContain("conformance-input");
      expect(ws.reads).not.toContain("unused/big.bin");
    });

    it("cannot read host files such as /etc/passwd, even through ..", async () => {
      const { raw } = await h.run(snippets.readEtcPasswd);
      expect(raw.stdout).not.toMatch(/root:.:0:0/);
    });

    it("sees only the policy's environment", async () => {
      process.env.LLM_SANDBOX_CANARY ??= "conformance-canary-7f3a";
      const { raw } = await h.run(snippets.printEnv, { env: { CONFORMANCE_VAR: "granted-value" } });
      expect(raw.stdout).toContain("granted-value");
      expect(raw.stdout).not.toContain(process.env.LLM_SANDBOX_CANARY);
    });

    it("reports a syntax error as a failure", async () => {
      const { raw, interp } = await h.run(snippets.syntaxError);
      expect(succeeded({ raw, interp })).toBe(false);
      expect(raw.stderr.length).toBeGreaterThan(0);
    });

    it("reports an uncaught error with its message on stderr", async () => {
      const { raw, interp } = await h.run(snippets.throwError);
      expect(succeeded({ raw, interp })).toBe(false);
      expect(raw.exitCode).not.toBe(0);
      expect(raw.stderr).toContain("conformance-boom");
    });

    it("consumes the same fuel for the same code twice", async () => {
      const a = await h.run(snippets.cpuWork, { deterministic: true });
      const b = await h.run(snippets.cpuWork, { deterministic: true });
      expect(a.raw.exitCode).toBe(0);
      expect(b.raw.fuelConsumed).toBe(a.raw.fuelConsumed);
      expect(b.raw.stdout).toBe(a.raw.stdout);
    });

    if (snippets.deepRecursion) {
      const code = snippets.deepRecursion;
      it("ends unbounded recursion as a failure, and the next run still works", async () => {
        const run = await h.run(code);
        expect(succeeded(run)).toBe(false);
        const again = await h.run(snippets.hello);
        expect(again.raw.stdout).toContain("conformance-hello");
      });
    }

    if (snippets.persist) {
      const [set, get] = snippets.persist;
      it("persists globals between executions with autoPersistGlobals", async () => {
        const ws = new MemoryWorkspace();
        const first = await h.run(set, {}, ws, true);
        expect(first.raw.exitCode).toBe(0);
        const second = await h.run(get, {}, ws, true);
        expect(second.raw.stdout).toContain("persisted=42");
      });
    }
  });
}
