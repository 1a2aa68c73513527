/**
 * Environment: host environment variables, host argv and /proc never reach a guest; only
 * what the policy grants (env) and the caller passes (args) do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, type SandboxResult } from "../../src/index.js";
import { CANARY } from "./helpers.js";

const DUMP: Record<string, string> = {
  python: `import os, sys
print("ENV", dict(os.environ))
print("GETENV", os.getenv("LLM_SANDBOX_CANARY"), os.getenv("AWS_SECRET_ACCESS_KEY"))
print("ARGV", sys.argv)
for p in ["/proc/self/environ", "/proc/self/cmdline", "/proc/1/environ"]:
    try: print("PROC", open(p, "rb").read()[:200])
    except Exception as e: print("PROCERR", type(e).__name__)
print("GRANTED", os.environ.get("GRANTED_VAR"))`,
  javascript: `console.log("ENV", JSON.stringify(env));
console.log("ARGV", JSON.stringify(typeof scriptArgs === "undefined" ? null : scriptArgs));
console.log("PROC", typeof process, typeof std, typeof os);
console.log("GRANTED", env.GRANTED_VAR);`,
  ruby: `puts "ENV #{ENV.to_h.inspect}"
puts "GETENV #{ENV['LLM_SANDBOX_CANARY'].inspect}"
puts "ARGV #{ARGV.inspect} #{$0}"
begin; puts "PROC #{File.read('/proc/self/environ')}"; rescue Exception => e; puts "PROCERR #{e.class}"; end
puts "GRANTED #{ENV['GRANTED_VAR']}"`,
  lua: `print("GETENV", os.getenv("LLM_SANDBOX_CANARY"), os.getenv("AWS_SECRET_ACCESS_KEY"), os.getenv("PATH"), os.getenv("HOME"))
print("ARGV", arg and table.concat(arg, ",") or "nil")
local f = io.open("/proc/self/environ")
print("PROC", f and f:read("a") or "none")
print("GRANTED", os.getenv("GRANTED_VAR"))`,
};

const dbg = (r: SandboxResult) => {
  if (process.env.ATTACK_DEBUG) console.log(r.stdout.slice(0, 1500), "\n--stderr--\n", r.stderr.slice(0, 600));
};

beforeAll(() => {
  process.env.LLM_SANDBOX_CANARY = CANARY;
  process.env.AWS_SECRET_ACCESS_KEY = CANARY + "-aws";
});
afterAll(() => {
  delete process.env.LLM_SANDBOX_CANARY;
  delete process.env.AWS_SECRET_ACCESS_KEY;
});

describe.each(Object.keys(DUMP))("%s environment", (runtime) => {
  it("host env vars, host argv and /proc are invisible; granted env and args are visible", async () => {
    const sb = await createSandbox({ runtime, storage: memoryStorage(), policy: { env: { GRANTED_VAR: "granted-value" } } });
    const r = await sb.execute(DUMP[runtime]!, { args: ["user-arg-1"] });
    dbg(r);
    expect(r.success).toBe(true);
    expect(r.stdout).not.toContain(CANARY);
    expect(r.stdout).not.toContain(process.cwd());
    expect(r.stdout).not.toContain(process.execPath);
    if (process.env.PATH) expect(r.stdout).not.toContain(process.env.PATH);
    expect(r.stdout).toMatch(/GRANTED\s+granted-value/);
    expect(r.stdout).toContain("user-arg-1");
  });
});
