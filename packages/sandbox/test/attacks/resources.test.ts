/**
 * Resource limits: fuel, memory, wall clock and output caps hold in every language, and
 * the host process survives each attack without its own memory exploding.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, type SandboxResult } from "../../src/index.js";

const RUNTIMES = ["python", "javascript", "ruby", "lua"] as const;
type Rt = (typeof RUNTIMES)[number];

const dbg = (r: SandboxResult) => {
  if (process.env.ATTACK_DEBUG) console.log(r.trapReason, r.exitCode, r.durationMs, r.fuelConsumed, r.stdout.slice(0, 300), "\n--stderr--\n", r.stderr.slice(0, 600));
};

const TIGHT_LOOP: Record<Rt, string> = {
  python: "while True:\n    pass",
  javascript: "for (;;) {}",
  ruby: "loop { }",
  lua: "while true do end",
};
const RECURSION: Record<Rt, string> = {
  python: "import sys\nsys.setrecursionlimit(10**9)\ndef f(n): return f(n + 1) + 1\nf(0)",
  javascript: "function f(n) { return f(n + 1) + 1; } f(0);",
  ruby: "def f(n) = f(n + 1) + 1\nf(0)",
  lua: "local function f(n) return f(n + 1) + 1 end\nf(0)",
};
const BACKTRACK: Record<Rt, string> = {
  python: "import re\nprint(re.match(r'(a+)+$', 'a' * 40 + 'b'))",
  javascript: "console.log(/^(a+)+$/.test('a'.repeat(40) + 'b'));",
  // Onigmo memoizes simple patterns; a backreference turns memoization off.
  ruby: "Regexp.timeout = nil\nloop { /\\A(a|a)*\\1c/.match?('a' * 28) }",
  lua: "local s = string.rep('a', 40) .. 'b'\nwhile true do s:find('(a*)*a*a*a*a*a*b$') end",
};
const BIG_ALLOC: Record<Rt, string> = {
  python: "b = bytearray(600 * 1024 * 1024)\nprint(len(b))",
  javascript: "const a = new Uint8Array(600 * 1024 * 1024); console.log(a.length);",
  ruby: "s = 'x' * (600 * 1024 * 1024)\nputs s.size",
  lua: "local s = string.rep('x', 600 * 1024 * 1024)\nprint(#s)",
};
const MANY_SMALL: Record<Rt, string> = {
  python: "a = []\nwhile True:\n    a.append([0] * 16)",
  javascript: "const a = []; for (;;) a.push({ x: [1, 2, 3, 4] });",
  ruby: "a = []\nloop { a << [0] * 16 }",
  lua: "local a = {}\nwhile true do a[#a + 1] = {1, 2, 3, 4} end",
};
const SLEEP_LOOP: Record<Rt, string> = {
  python: "import time\nwhile True:\n    time.sleep(0.5)",
  javascript: "const tick = () => setTimeout(tick, 200); tick();",
  ruby: "loop { sleep 0.5 }",
  lua: "while true do local t = os.clock() end",
};
const FLOOD: Record<Rt, string> = {
  python: "import sys\nchunk = 'A' * 65536\nwhile True:\n    sys.stdout.write(chunk)\n    sys.stderr.write(chunk)",
  javascript: "const chunk = 'A'.repeat(65536); for (;;) { console.log(chunk); console.error(chunk); }",
  ruby: "chunk = 'A' * 65536\nloop { $stdout.write(chunk); $stderr.write(chunk) }",
  lua: "local chunk = string.rep('A', 65536)\nwhile true do io.stdout:write(chunk) io.stderr:write(chunk) end",
};

const storage = memoryStorage();
const fuelPolicy = { fuelBudget: 3_000_000_000, timeoutMs: 60_000 };

describe.each(RUNTIMES)("%s resource limits", (rt) => {
  let sb: Awaited<ReturnType<typeof createSandbox>>;
  beforeAll(async () => {
    sb = await createSandbox({ runtime: rt, storage, policy: fuelPolicy });
  });
  afterAll(async () => {
    await sb[Symbol.asyncDispose]();
  });

  it("a tight loop runs out of fuel", async () => {
    const r = await sb.execute(TIGHT_LOOP[rt], { policy: { fuelBudget: 1_000_000_000 } });
    dbg(r);
    expect(r.success).toBe(false);
    expect(r.trapReason).toBe("out_of_fuel");
    expect(r.fuelConsumed).toBeGreaterThanOrEqual(1_000_000_000 * 0.99);
  });

  it("unbounded recursion fails without killing the host", async () => {
    const r = await sb.execute(RECURSION[rt]);
    dbg(r);
    expect(r.success).toBe(false);
    expect(r.stdout).toBe("");
  });

  it("catastrophic regex backtracking is stopped by fuel", async () => {
    // The wall clock is set far away so that fuel is the only limit that can bind.
    const r = await sb.execute(BACKTRACK[rt], { policy: { fuelBudget: 1_000_000_000, timeoutMs: 600_000 } });
    dbg(r);
    expect(r.success).toBe(false);
    expect(r.trapReason).toBe("out_of_fuel");
  });

  it("a 600 MB allocation hits the memory cap, not the host", async () => {
    const before = process.memoryUsage().rss;
    const r = await sb.execute(BIG_ALLOC[rt], { policy: { memoryBytes: 128 * 1024 * 1024 } });
    dbg(r);
    expect(r.success).toBe(false);
    expect(r.stdout).not.toMatch(/^629145600/m);
    expect(process.memoryUsage().rss - before).toBeLessThan(500 * 1024 * 1024);
  });

  it("many small allocations hit the memory cap or fuel", async () => {
    const r = await sb.execute(MANY_SMALL[rt], { policy: { memoryBytes: 64 * 1024 * 1024, fuelBudget: 20_000_000_000 } });
    dbg(r);
    expect(r.success).toBe(false);
    expect(r.memoryUsedBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it("a sleep loop is stopped by the wall clock", async () => {
    const r = await sb.execute(SLEEP_LOOP[rt], { policy: { timeoutMs: 1500, fuelBudget: 1_000_000_000_000 } });
    dbg(r);
    expect(r.success).toBe(false);
    expect(r.trapReason).toBe("timeout");
  });

  it("a stdout+stderr flood is truncated at the caps and the host RSS stays bounded", async () => {
    const before = process.memoryUsage().rss;
    const r = await sb.execute(FLOOD[rt], { policy: { stdoutMaxBytes: 100_000, stderrMaxBytes: 50_000, fuelBudget: 3_000_000_000, timeoutMs: 4_000 } });
    expect(r.success).toBe(false);
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stderrTruncated).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(100_000 + 1024);
    expect(Buffer.byteLength(r.stderr)).toBeLessThanOrEqual(50_000 + 4096);
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
  });
});
