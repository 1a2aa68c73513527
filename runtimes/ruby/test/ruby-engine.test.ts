/**
 * The Ruby engine end to end through `execute()`, the way the umbrella drives it: the
 * acceptance cases for Ruby plus the Ruby-specific behaviour (exit codes, at_exit,
 * guards, $state). Needs the built driver: `npx turbo run build --filter=@llm-wasm-sandbox/runtime-ruby...`.
 */
import { CommonErrorType } from "@llm-wasm-sandbox/core";
import { MemoryWorkspace, createRuntimeHarness, succeeded, type RuntimeHarness } from "@llm-wasm-sandbox/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import rubyPlugin from "../src/index.js";

let h: RuntimeHarness;

beforeAll(() => {
  h = createRuntimeHarness(rubyPlugin);
});
afterAll(async () => {
  await h?.close();
});

describe("ruby basics", () => {
  it("prints hello and reports fuel", async () => {
    const { raw, interp } = await h.run('puts "hello from ruby"');
    expect(raw.stdout).toBe("hello from ruby\n");
    expect(succeeded({ raw, interp })).toBe(true);
    expect(raw.fuelConsumed).toBeGreaterThan(0);
  });

  it("has the standard library: json, set, csv, time, digest", async () => {
    const code = [
      'require "json"; require "set"; require "csv"; require "time"; require "digest"',
      'puts JSON.generate({ "a" => Set[1, 2].to_a })',
      'puts CSV.parse_line("x,y").inspect',
      'puts Time.parse("2024-01-02T03:04:05Z").year',
      'puts Digest::SHA256.hexdigest("abc")[0, 8]',
    ].join("\n");
    const { raw } = await h.run(code);
    expect(raw.stdout).toBe('{"a":[1,2]}\n["x", "y"]\n2024\nba7816bf\n');
  });

  it("prints an uncaught exception as 'message (Class)' with the backtrace, exit 1", async () => {
    const { raw, interp } = await h.run('def f = raise("boom-rb")\nf');
    expect(raw.exitCode).toBe(1);
    expect(raw.stderr).toBe("/app/user_code.rb:1:in 'Object#f': boom-rb (RuntimeError)\n\tfrom /app/user_code.rb:2:in '<main>'\n");
    expect(succeeded({ raw, interp })).toBe(false);
    expect(interp.languageError?.name).toBe("RuntimeError");
  });

  it("maps exit n and abort to exit codes, running at_exit handlers first", async () => {
    const exit = await h.run('at_exit { puts "bye" }\nputs "hi"\nexit 3');
    expect(exit.raw.exitCode).toBe(3);
    expect(exit.raw.stdout).toBe("hi\nbye\n");
    const abort = await h.run('abort "bad input"');
    expect(abort.raw.exitCode).toBe(1);
    expect(abort.raw.stderr).toBe("bad input\n");
  });

  it("runs in /app with the policy env and ARGV, and $0 is the user file", async () => {
    const { raw } = await h.run("p Dir.pwd, ENV['GREETING'], Dir.home, $0 == __FILE__", { env: { GREETING: "it's \\ ok" } });
    expect(raw.stdout).toBe('"/app"\n"it\'s \\\\ ok"\n"/app"\ntrue\n');
  });

  it("journals files written to /app, relative paths included", async () => {
    const { raw, workspace } = await h.run('File.write("/app/out.txt", "x")\nFile.write("rel.txt", "y")\nputs File.read("/app/out.txt")');
    expect(raw.stdout).toBe("x\n");
    expect(workspace.text("out.txt")).toBe("x");
    expect(workspace.text("rel.txt")).toBe("y");
  });

  it("reports a syntax error as SyntaxError guidance", async () => {
    const { raw, interp } = await h.run("def f(:\n end");
    expect(raw.stderr).toContain("(SyntaxError)");
    expect(interp.languageError?.kind).toBe(CommonErrorType.SYNTAX_ERROR);
  });

  it("turns unbounded recursion into a SystemStackError, and the next run works", async () => {
    const { raw, interp } = await h.run("def f(n) = f(n + 1)\nf(0)");
    expect(succeeded({ raw, interp })).toBe(false);
    expect(raw.trapReason === "stack_overflow" || interp.languageError?.name === "SystemStackError").toBe(true);
    const again = await h.run('puts "still fine"');
    expect(again.raw.stdout).toBe("still fine\n");
  });
});

describe("ruby runs and mounts", () => {
  it("writes UTF-8 output unchanged", async () => {
    const { raw } = await h.run('puts "héllo ✓ 日本"');
    expect(raw.stdout).toBe("héllo ✓ 日本\n");
  });

  it("repeats rand and Time.now exactly in deterministic mode", async () => {
    const code = "puts rand(1_000_000), Time.now.to_i, Random.new_seed % 1000";
    const a = await h.run(code, { deterministic: true, randomSeed: 7 });
    const b = await h.run(code, { deterministic: true, randomSeed: 7 });
    expect(a.raw.exitCode).toBe(0);
    expect(b.raw.stdout).toBe(a.raw.stdout);
    const c = await h.run(code, { deterministic: true, randomSeed: 8 });
    expect(c.raw.stdout).not.toBe(a.raw.stdout);
  });

  it("runs minitest without threads, failures setting the exit code", async () => {
    const code = 'require "minitest/autorun"\nclass T < Minitest::Test\n  def test_ok = assert_equal(1, 1)\n  def test_bad = assert_equal(1, 2)\nend';
    const { raw } = await h.run(code);
    expect(raw.stdout).toContain("2 runs, 2 assertions, 1 failures, 0 errors, 0 skips");
    expect(raw.exitCode).toBe(1);
  });

  it("reads a read-only mount (its own snapshot layout) but cannot write it", async () => {
    const mounted = createRuntimeHarness(rubyPlugin, [{ guestPath: "/data/mounted", files: { "in.txt": new TextEncoder().encode("from-mount") } }]);
    const code = 'puts File.read("/data/mounted/in.txt")\nbegin\n  File.write("/data/mounted/x.txt", "no")\nrescue SystemCallError => e\n  puts "refused #{e.class}"\nend';
    const { raw } = await mounted.run(code);
    expect(raw.stdout).toMatch(/^from-mount\nrefused Errno::E[A-Z]+\n$/);
  });
});

describe("ruby isolation", () => {
  it("cannot read /etc/passwd, even through ..", async () => {
    const code = '["/etc/passwd", "/app/../../../etc/passwd"].each do |p|\n  begin\n    puts File.read(p)\n  rescue Exception => e\n    puts "denied #{e.class}"\n  end\nend';
    const { raw } = await h.run(code);
    expect(raw.stdout).not.toMatch(/root:.:0:0/);
    expect(raw.stdout).toContain("denied Errno::ENOENT");
  });

  it("refuses require 'js' so JS.global and JS.eval never reach host JavaScript", async () => {
    const code = 'begin\n  require "js"\n  puts JS.global[:process].inspect\n  puts JS.eval("return typeof process").inspect\nrescue Exception => e\n  puts "denied #{e.class}"\nend';
    const { raw } = await h.run(code);
    expect(raw.stdout).toBe("denied LoadError\n");
  });

  it("ends the run when the guest loads the js extension past the guard (JS.global, JS.eval)", async () => {
    // RubyGems' original require skips the sandbox's guard; the bridge imports still refuse.
    for (const call of ["JS.global[:process]", 'JS.eval("return typeof process")']) {
      const code = `begin\n  send(:gem_original_require, "js")\n  puts ${call}.inspect\nrescue Exception => e\n  puts "rescued #{e.class}"\nend`;
      const { raw, interp } = await h.run(code);
      expect(raw.exitCode).toBe(1);
      expect(raw.stderr).toMatch(/^host JavaScript is not available in the sandbox \(rb-js-abi-host [a-z-]+ denied\)/);
      expect(interp.languageError?.message).toMatch(/Ruby cannot reach host JavaScript/);
      expect(raw.stdout).toBe("");
      expect(succeeded({ raw, interp })).toBe(false);
    }
  });

  it("refuses backticks, system, spawn and IO.popen with NotImplementedError", async () => {
    const code = [
      "def try",
      "  yield",
      '  "ran"',
      "rescue Exception => e",
      '  "denied #{e.class}"',
      "end",
      'puts try { `echo R#{"A"}N` }',
      'puts try { system("echo R" + "AN") }',
      'puts try { spawn("ls") }',
      'puts try { IO.popen("ls") }',
      'puts try { require "socket" }',
    ].join("\n");
    const { raw } = await h.run(code);
    expect(raw.stdout).toBe(`${"denied NotImplementedError\n".repeat(4)}denied LoadError\n`);
    expect(raw.stdout).not.toContain("RAN");
  });

  it("sees only the policy's environment and its own home", async () => {
    process.env.LLM_RUBY_CANARY = "canary-8c1f5e";
    const { raw } = await h.run("puts ENV.to_h.sort.inspect");
    expect(raw.stdout).toBe('[["HOME", "/app"], ["LOGNAME", "sandbox"], ["USER", "sandbox"]]\n');
  });
});

describe("ruby limits", () => {
  it("stops loop {} with out_of_fuel under a 3e8 budget", async () => {
    const { raw, interp } = await h.run("loop { }", { fuelBudget: 300_000_000 });
    expect(raw.trapReason).toBe("out_of_fuel");
    expect(succeeded({ raw, interp })).toBe(false);
  });

  it("fails a 512 MiB string under a 96 MiB cap without exceeding it", async () => {
    const { raw, interp } = await h.run('a = "x" * (512 * 1024 * 1024)\nputs "ALLOCATED"', { memoryBytes: 96 * 1024 * 1024 });
    expect(raw.stdout).not.toContain("ALLOCATED");
    expect(succeeded({ raw, interp })).toBe(false);
    expect(raw.memoryUsedBytes).toBeLessThanOrEqual(96 * 1024 * 1024);
  });

  it("says clearly when memoryBytes is below what the initialized VM needs", async () => {
    const { raw } = await h.run('puts "x"', { memoryBytes: 48 * 1024 * 1024 });
    expect(raw.trapReason).toBe("memory_limit");
    expect(raw.trapMessage).toMatch(/Ruby VM needs \d+ MiB/);
  });

  it("caps stdout", async () => {
    const { raw } = await h.run('10000.times { puts "x" * 100 }', { stdoutMaxBytes: 1000 });
    expect(Buffer.byteLength(raw.stdout)).toBeLessThanOrEqual(1000);
    expect(raw.stdoutTruncated).toBe(true);
  });

  it("stops loop {} with a timeout when fuel would last for hours", async () => {
    const { raw } = await h.run("loop { }", { timeoutMs: 1500, fuelBudget: 10_000_000_000_000 });
    expect(raw.trapReason).toBe("timeout");
  });
});

describe("ruby $state persistence", () => {
  it("keeps $state between executions, skipping values Marshal cannot dump", async () => {
    const ws = new MemoryWorkspace();
    const first = await h.run('$state[:count] = 41\n$state["tags"] = Set[:a]\n$state[:cb] = proc { 1 }', {}, ws, true);
    expect(first.raw.exitCode).toBe(0);
    expect(first.interp.notes?.join(" ")).toContain('$state: ":cb" was not persisted ("Proc:');
    const second = await h.run('$state[:count] += 1\nputs "persisted=#{$state[:count]} #{$state["tags"].to_a.inspect} #{$state.key?(:cb)}"', {}, ws, true);
    expect(second.raw.stdout).toBe("persisted=42 [:a] false\n");
  });

  it("does not define $state without autoPersistGlobals", async () => {
    const { raw } = await h.run("p $state");
    expect(raw.stdout).toBe("nil\n");
  });
});
