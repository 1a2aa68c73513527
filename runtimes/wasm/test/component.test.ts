import { readFile } from "node:fs/promises";
import { componentNew, parse, preview1AdapterCommandPath } from "@bytecodealliance/jco";
import { createRuntimeHarness, MemoryWorkspace, type RuntimeHarness, succeeded } from "@llm-wasm-sandbox/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { createWasmPlugin, wasmPlugin } from "../src/index.js";
import { example, PRINT_ENV_BODY, program, snippets } from "./snippets.js";

/** Wraps a WASI preview1 command (WAT) into a WASI 0.2 command component with jco's adapter. */
async function componentFromWat(wat: string): Promise<string> {
  const adapter = await readFile(preview1AdapterCommandPath());
  const bytes = await componentNew(await parse(wat), [["wasi_snapshot_preview1", new Uint8Array(adapter)]]);
  return Buffer.from(bytes).toString("base64");
}

let h: RuntimeHarness;
let hello: string;
beforeAll(async () => {
  h = createRuntimeHarness(wasmPlugin);
  hello = await componentFromWat(example("hello"));
});

describe("WASI 0.2 command components", () => {
  it("runs a hello-world component built from WAT with jco's preview1 adapter", async () => {
    const { raw, interp } = await h.run(hello);
    expect(raw.stderr).toBe("");
    expect(raw.stdout).toBe("Hello, WASM!\n");
    expect(raw.exitCode).toBe(0);
    expect(succeeded({ raw, interp })).toBe(true);
    expect(raw.fuelConsumed).toBeGreaterThan(0);
  });

  it("meters every core module: an infinite loop in a component ends with out_of_fuel", async () => {
    const looping = await componentFromWat('(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))');
    const { raw } = await h.run(looping, { fuelBudget: 2_000_000 });
    expect(raw.trapReason).toBe("out_of_fuel");
    expect(raw.fuelConsumed).toBeGreaterThanOrEqual(2_000_000);
  });

  it("stops a component by the wall clock when fuel would last for hours", async () => {
    const looping = await componentFromWat('(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))');
    const { raw } = await h.run(looping, { fuelBudget: 10_000_000_000_000, timeoutMs: 500 });
    expect(raw.trapReason).toBe("timeout");
  });

  it("keeps a component's memory under the cap: memory.grow past it fails", async () => {
    const { raw, interp } = await h.run(await componentFromWat(snippets.allocateTooMuch), { memoryBytes: 64 * 1024 * 1024 });
    expect(raw.stdout).not.toContain("ALLOCATED");
    expect(raw.stderr).toContain("memory.grow refused");
    expect(succeeded({ raw, interp })).toBe(false);
    expect(raw.memoryUsedBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it("consumes the same fuel for the same component twice (deterministic)", async () => {
    const a = await h.run(hello, { deterministic: true });
    const b = await h.run(hello, { deterministic: true });
    expect(a.raw.exitCode).toBe(0);
    expect(b.raw.fuelConsumed).toBe(a.raw.fuelConsumed);
  });

  it("sees only the policy's environment and reports a failing proc_exit", async () => {
    const code = program(
      {},
      `${PRINT_ENV_BODY}
       (call $proc_exit (i32.const 3))`,
    );
    process.env.LLM_SANDBOX_CANARY ??= "component-canary-51c2";
    const { raw } = await h.run(await componentFromWat(code), { env: { GRANTED: "yes" } });
    expect(raw.stdout).toBe("GRANTED=yes\n");
    // WASI 0.2's exit carries only ok/err: the adapter maps proc_exit(3) to err, exit code 1.
    expect(raw.exitCode).toBe(1);
  });

  it("writes /app files through wasi:filesystem, journaled like any run", async () => {
    const { raw, workspace } = await h.run(await componentFromWat(example("write-file")));
    expect(raw.stderr).toBe("");
    expect(raw.exitCode).toBe(0);
    expect(workspace.text("greeting.txt")).toBe("written by write-file.wat\n");
  });

  it("reads workspace files but not the host's /etc/passwd, even through ..", async () => {
    const ws = new MemoryWorkspace();
    ws.put("in.txt", "component-input");
    const { raw } = await h.run(await componentFromWat(snippets.readFile), {}, ws);
    expect(raw.stdout).toBe("component-input");
    // The preview1 adapter resolves absolute paths against the "/" preopen, like wasi-libc.
    const passwd = await h.run(await componentFromWat(snippets.readEtcPasswd));
    expect(passwd.raw.stdout).toBe("denied\ndenied\n");
  });

  it("refuses a component with more core modules than the instance cap", async () => {
    const tight = createRuntimeHarness(createWasmPlugin({ maxInstances: 2 }));
    const { raw } = await tight.run(hello);
    expect(raw.exitCode).toBe(1);
    expect(raw.stderr).toMatch(/core modules; at most 2 are allowed/);
  });
});
