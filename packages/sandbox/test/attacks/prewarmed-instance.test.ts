/**
 * Attacks on pre-warmed instances (issue 19): an instance built before its run must give
 * the guest nothing a cold instance would not — nothing of another session's run on the
 * same thread — and every per-run limit (memory cap, fuel budget, wall clock) must bind
 * on it as on a cold one. One worker thread per host, so each run meets the refill of the
 * run before it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, createSandboxHost, memoryStorage, type SandboxHost } from "../../src/index.js";

const MiB = 1024 * 1024;
/** A cap other than the default (128 MiB): a ready instance of the default cap must not serve it. */
const SMALL_CAP = 112 * MiB;

const WASM_PRINT = (body: string): string => `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "0\\n")
  (func (export "_start")
    ${body}
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 2))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;

interface Attack {
  /** Leaves a global, a /tmp file and a value in memory behind. */
  readonly leave: string;
  /** Prints what it finds of them. */
  readonly look: string;
  /** What `look` prints in a fresh instance. */
  readonly nothing: string;
  /** Allocates past SMALL_CAP. */
  readonly allocate: string;
  readonly spin: string;
}

const ATTACKS: Record<string, Attack> = {
  python: {
    leave: `import builtins
builtins.LEFT = 1
LEFT2 = 2
open("/tmp/left", "w").write("x")`,
    look: `import builtins, os
print(hasattr(builtins, "LEFT"), "LEFT2" in globals(), os.path.exists("/tmp/left"))`,
    nothing: "False False False\n",
    allocate: "b = bytearray(160_000_000)\nprint(len(b))",
    spin: "while True: pass",
  },
  javascript: {
    leave: `globalThis.LEFT = 1; writeText("/tmp/left", "x")`,
    look: `console.log(typeof globalThis.LEFT, fileExists("/tmp/left"))`,
    nothing: "undefined false\n",
    allocate: "const b = new Uint8Array(160_000_000); b[1] = 1; console.log(b.length)",
    spin: "for (;;) {}",
  },
  ruby: {
    leave: `$left = 1; LEFT = 2; File.write("/tmp/left", "x")`,
    look: `puts [defined?($left).inspect, defined?(LEFT).inspect, File.exist?("/tmp/left")].join(" ")`,
    nothing: "nil nil false\n",
    allocate: `s = "x" * 160_000_000; puts s.size`,
    spin: "loop {}",
  },
  lua: {
    leave: `LEFT = 1; local f = io.open("/tmp/left", "w") f:write("x") f:close()`,
    look: `print(LEFT, io.open("/tmp/left") ~= nil)`,
    nothing: "nil\tfalse\n",
    allocate: `local s = string.rep("x", 160000000) print(#s)`,
    spin: "while true do end",
  },
  // The user's own module: compiled per run, never pre-warmed; the same attacks hold.
  wasm: {
    leave: WASM_PRINT("(i32.store (i32.const 100) (i32.const 1))"),
    look: WASM_PRINT("(if (i32.load (i32.const 100)) (then (i32.store8 (i32.const 16) (i32.const 49))))"),
    nothing: "0\n",
    allocate: `(module (memory (export "memory") 1) (func (export "_start") (if (i32.eq (memory.grow (i32.const 2600)) (i32.const -1)) (then unreachable))))`,
    spin: `(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))`,
  },
};

const hosts: SandboxHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
});

describe.each(Object.keys(ATTACKS))("%s: a pre-warmed instance", (runtime) => {
  const attack = ATTACKS[runtime]!;
  const prewarmed = runtime !== "wasm";

  it("shows nothing of another session's run on its thread, and every per-run limit binds on it", async () => {
    const host = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 }, prewarm: [runtime] });
    hosts.push(host);
    const first = await createSandbox({ runtime, host });
    const second = await createSandbox({ runtime, host, policy: { timeoutMs: 120_000 } });

    const left = await first.execute(attack.leave);
    expect(left.stderr).toBe("");
    expect(left.success).toBe(true);
    const look = await second.execute(attack.look);
    expect(look.stderr).toBe("");
    expect(look.stdout).toBe(attack.nothing);
    expect(look.prewarmed).toBe(prewarmed);

    // The ready instance has the default cap: a run with another one must not take it.
    const small = { memoryBytes: SMALL_CAP };
    const other = await second.execute(attack.allocate, { policy: small });
    expect(other.prewarmed).toBe(false);
    expect(other.trapReason).toBe("memory_limit");
    const capped = await second.execute(attack.allocate, { policy: small });
    expect(capped.prewarmed).toBe(prewarmed);
    expect(capped.trapReason).toBe("memory_limit");
    expect(capped.memoryUsedBytes).toBeLessThanOrEqual(SMALL_CAP);

    const fuel = await second.execute(attack.spin, { policy: { ...small, fuelBudget: 50_000_000 } });
    expect(fuel.prewarmed).toBe(prewarmed);
    expect(fuel.trapReason).toBe("out_of_fuel");
    expect(fuel.fuelConsumed).toBe(50_000_000);

    // Fuel cannot run out in the time allowed: only the wall clock can stop it.
    const clock = await second.execute(attack.spin, { policy: { ...small, fuelBudget: 100_000_000_000_000, timeoutMs: 1500 } });
    expect(clock.prewarmed).toBe(prewarmed);
    expect(clock.trapReason).toBe("timeout");
  }, 300_000);
});

/** Hello in each runtime. */
const HELLO: Record<string, string> = {
  python: 'print("hello")',
  javascript: 'console.log("hello")',
  ruby: 'puts "hello"',
  lua: 'print("hello")',
  wasm: WASM_PRINT(""),
};

describe.each(Object.keys(HELLO))("%s: a fuel budget smaller than the interpreter's start", (runtime) => {
  it("runs out of fuel on a pre-warmed host exactly as on a cold one (attack: the start's fuel paid by nobody)", async () => {
    const newHost = (prewarm: string[]): SandboxHost => {
      const host = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 }, prewarm });
      hosts.push(host);
      return host;
    };
    const policy = { deterministic: true, timeoutMs: 120_000 };
    const warm = await createSandbox({ runtime, host: newHost([runtime]), policy });
    const cold = await createSandbox({ runtime, host: newHost([]), policy });
    const full = await cold.execute(HELLO[runtime]!);
    await warm.execute(HELLO[runtime]!);
    // Far below any interpreter's start (a raw module's whole hello is a few units), and half of this hello's whole run.
    for (const fuelBudget of [Math.min(1_000, Math.floor(full.fuelConsumed / 4)), Math.floor(full.fuelConsumed / 2)]) {
      const [w, c] = [await warm.execute(HELLO[runtime]!, { policy: { fuelBudget } }), await cold.execute(HELLO[runtime]!, { policy: { fuelBudget } })];
      expect(c.trapReason).toBe("out_of_fuel");
      expect([w.trapReason, w.fuelConsumed, w.stdout, w.stderr]).toEqual([c.trapReason, c.fuelConsumed, c.stdout, c.stderr]);
    }
    // The exact budget is enough, pre-warmed or not.
    const exact = await warm.execute(HELLO[runtime]!, { policy: { fuelBudget: full.fuelConsumed } });
    expect([exact.success, exact.fuelConsumed, exact.prewarmed]).toEqual([true, full.fuelConsumed, runtime !== "wasm"]);
  }, 300_000);
});

describe("javascript: a pre-started context", () => {
  it("does not tell the guest how long ago its thread's last run ended (attack: timing other sessions' runs through performance.now())", async () => {
    const host = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 }, prewarm: ["javascript"] });
    hosts.push(host);
    const sandbox = await createSandbox({ runtime: "javascript", host });
    await sandbox.execute("1");
    // The next instance was started right after that run; this one comes much later.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const r = await sandbox.execute("console.log(performance.now())");
    expect(r.prewarmed).toBe(true);
    expect(Number(r.stdout)).toBeLessThan(1_500);
  }, 120_000);
});

describe("javascript: globals defined in the pre-start", () => {
  it("serve the run that takes the instance, and nothing one run does to them reaches the next (attack: overwrite globals and prototypes, leave timers and jobs)", async () => {
    const host = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 }, prewarm: ["javascript"] });
    hosts.push(host);
    const a = await createSandbox({ runtime: "javascript", host });
    const b = await createSandbox({ runtime: "javascript", host });
    await a.execute("1");
    const attack = await a.execute(`
      writeText("/app/a.txt", "a");
      const log = console.log;
      console.log = () => {};
      globalThis.writeText = () => {};
      crypto.randomUUID = () => "fixed";
      Object.prototype.polluted = 1;
      Array.prototype.push = () => 0;
      String.prototype.localeCompare = () => 42;
      setTimeout(() => log("timer of a"), 0);
      Promise.resolve().then(() => log("job of a"));
      log("a done");
    `);
    expect([attack.success, attack.prewarmed, attack.stdout, attack.filesCreated]).toEqual([true, true, "a done\njob of a\ntimer of a\n", ["a.txt"]]);
    const look = await b.execute(`
      writeText("/app/b.txt", "b");
      const arr = []; arr.push(1);
      console.log(typeof globalThis.polluted, arr.length, "a".localeCompare("b"), crypto.randomUUID() === "fixed", fileExists("/app/a.txt"), readText("/app/b.txt"));
    `);
    expect([look.success, look.prewarmed, look.stdout, look.filesCreated]).toEqual([true, true, "undefined 1 -1 false false b\n", ["b.txt"]]);
    // The helpers wrote into the session of the run they served.
    expect((await a.storage.listFiles(a.sessionId)).map((e) => e.path)).toEqual(["a.txt"]);
    expect((await b.storage.listFiles(b.sessionId)).map((e) => e.path)).toEqual(["b.txt"]);
  }, 120_000);
});

describe("lua: a pre-started state's emscripten env, rebound to the run that takes it", () => {
  it("reads, writes and prints in that run's world only (attack: files, fds, output or environment of the pre-start or of another session's run reach a run)", async () => {
    const host = createSandboxHost({ storage: memoryStorage(), pool: { size: 1 }, prewarm: ["lua"] });
    hosts.push(host);
    const a = await createSandbox({ runtime: "lua", host });
    const b = await createSandbox({ runtime: "lua", host });
    await a.execute("print(1)");
    // Leaves a file open (its fd), an unflushed buffer and files in /app and /tmp.
    const attack = await a.execute(`
      kept = io.open("/app/a.txt", "w") kept:write("a")
      local t = io.open("/tmp/left", "w") t:write("x") t:close()
      io.stdout:setvbuf("full") io.write("a buffered")
      print("")`);
    expect([attack.success, attack.prewarmed, attack.stdout, attack.filesCreated]).toEqual([true, true, "a buffered\n", ["a.txt"]]);
    const look = await b.execute(`
      local f = io.open("/app/b.txt", "w") f:write("b") f:close()
      print(io.open("/app/a.txt") ~= nil, io.open("/tmp/left") ~= nil, kept, os.getenv("HOME"), io.open("/app/b.txt"):read("a"))
      io.stderr:write("b err\\n")`);
    expect([look.success, look.prewarmed, look.stdout, look.stderr, look.filesCreated]).toEqual([true, true, "false\tfalse\tnil\t/app\tb\n", "b err\n", ["b.txt"]]);
    expect((await a.storage.listFiles(a.sessionId)).map((e) => e.path)).toEqual(["a.txt"]);
    expect((await b.storage.listFiles(b.sessionId)).map((e) => e.path)).toEqual(["b.txt"]);
    expect((await a.storage.readFile(a.sessionId, "a.txt")).length).toBe(1);
  }, 120_000);
});
