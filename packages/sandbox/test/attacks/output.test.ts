/**
 * Output: whatever the guest prints, by any route, stays within the caps, and the host's
 * own parsing of that output (error classification, guidance) cannot be made to stall.
 */
import { describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, type SandboxResult } from "../../src/index.js";

const dbg = (r: SandboxResult) => {
  if (process.env.ATTACK_DEBUG) console.log(r.success, r.exitCode, r.durationMs, r.errorGuidance?.errorType, r.stdout.slice(0, 200), "\n--stderr--\n", r.stderr.slice(0, 200));
};

describe("output caps by every route", () => {
  it("os.write on fds 1 and 2, /dev/stdout and a dup'd fd all count against the caps", async () => {
    const sb = await createSandbox({ runtime: "python", storage: memoryStorage(), policy: { stdoutMaxBytes: 10_000, stderrMaxBytes: 10_000 } });
    const r = await sb.execute(`
import os, sys
for fd in (1, 2):
    for _ in range(20): os.write(fd, b"X" * 4096)
for p in ("/dev/stdout", "/dev/stderr"):
    try:
        with open(p, "w") as f: f.write("Y" * 100_000)
    except OSError as e:
        print("ERR", p, e.errno, file=sys.__stdout__)
try:
    d = os.dup(1)
    os.write(d, b"Z" * 100_000)
except OSError as e:
    pass
`);
    dbg(r);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(10_000);
    expect(Buffer.byteLength(r.stderr)).toBeLessThanOrEqual(10_000 + 1024);
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stderrTruncated).toBe(true);
  });

  it("a zero stdout cap lets nothing through", async () => {
    const sb = await createSandbox({ runtime: "lua", storage: memoryStorage(), policy: { stdoutMaxBytes: 0 } });
    const r = await sb.execute(`for i = 1, 1000 do io.write("leak") end print("leak")`);
    expect(r.stdout).toBe("");
    expect(r.stdoutTruncated).toBe(true);
  });
});

// ~1 MB of crafted stderr. Quadratic-time parsing of it would block the host's event loop
// for minutes (outside the guest's wall clock, which only covers the worker), so a
// vulnerable host fails these tests by their timeout; a linear parser takes milliseconds.
const STDERR_BYTES = 900_000;

describe("host-side parsing of crafted stderr (ReDoS)", () => {
  it("an ENOENT-then-unterminated-quote stderr does not stall error guidance", async () => {
    const sb = await createSandbox({ runtime: "python", storage: memoryStorage() });
    const r = await sb.execute(`
import sys
half = ${STDERR_BYTES / 2}
sys.stderr.write("ENOENT " * (half // 7) + "'" + "a" * half)
sys.stderr.flush()
sys.exit(3)
`);
    dbg(r);
    expect(r.success).toBe(false);
    expect(r.exitCode).toBe(3);
    expect(r.errorGuidance).toBeDefined();
  }, 60_000);

  it("a ':1: ' flood does not stall Ruby's exception parser", async () => {
    const sb = await createSandbox({ runtime: "ruby", storage: memoryStorage() });
    const r = await sb.execute(`$stderr.write(":1: " * ${STDERR_BYTES / 4})\n$stderr.flush\nexit 3`);
    dbg(r);
    expect(r.success).toBe(false);
    expect(r.exitCode).toBe(3);
    expect(r.errorGuidance).toBeDefined();
  }, 60_000);
});

describe("host-side parsing of crafted stderr (ReDoS), lua", () => {
  it("a 'lua: ' report of a newline flood followed by text does not stall the Lua error parser", async () => {
    const sb = await createSandbox({ runtime: "lua", storage: memoryStorage() });
    const r = await sb.execute(`io.stderr:write("lua: " .. string.rep("\\n", ${STDERR_BYTES}) .. "x")\nio.stderr:flush()\nos.exit(3)`);
    dbg(r);
    expect(r.success).toBe(false);
    expect(r.exitCode).toBe(3);
    expect(r.errorGuidance).toBeDefined();
  }, 60_000);
});
