/**
 * Ruby fidelity (issue 21): standard-library behaviour CRuby loses on WebAssembly, given
 * back by the runtime's guest code (runtimes/ruby/guest/compat.rb), through createSandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, type Sandbox } from "../src/index.js";

let sb: Sandbox;
beforeAll(async () => {
  // Generous fuel and wall clock: in these tests Ruby's own deadlines (Timeout) must bind first.
  sb = await createSandbox({ runtime: "ruby", storage: memoryStorage(), policy: { fuelBudget: 20_000_000_000, timeoutMs: 120_000 } });
});
afterAll(async () => {
  await sb?.close();
});

describe("Ruby fidelity", () => {
  it("yields Zlib output in chunks when the output passes 16 KiB (the VM trapped)", async () => {
    const r = await sb.execute(`require "zlib"
data = Random.new(1).bytes(40_000) + ("abc" * 30_000)
chunks = []
p Zlib::Deflate.deflate(data) { |c| chunks << c }
p chunks.size > 1, Zlib::Inflate.inflate(chunks.join) == data
z = Zlib::Deflate.new
out = +""
z.deflate(data) { |c| out << c }
z.finish { |c| out << c }
back = +""
i = Zlib::Inflate.new
i.inflate(out) { |c| back << c }
i.finish { |c| back << c }
p back == data, Zlib.inflate(Zlib.deflate("hi"))`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe('nil\ntrue\ntrue\ntrue\n"hi"\n');
    expect(r.success).toBe(true);
  });

  it("stops a Timeout.timeout block at its deadline without threads, as Timeout::Error", async () => {
    const r = await sb.execute(`require "timeout"
p Timeout.timeout(5) { :done }
begin
  Timeout.timeout(0.2) { loop { begin; 1 + 1; rescue => e; p :swallowed; end } }
rescue => e
  p [e.class, e.message]
end
begin
  Timeout.timeout(0.2, ArgumentError, "too slow") { sleep 30 }
rescue ArgumentError => e
  p [e.class, e.message]
end
p(Timeout.timeout(5) { Timeout.timeout(0.1) { loop {} } rescue :inner })`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(':done\n[Timeout::Error, "execution expired"]\n[ArgumentError, "too slow"]\n:inner\n');
  });

  it("File.chmod records modes that File.stat reports; a missing file is ENOENT", async () => {
    const r = await sb.execute(`File.write("run.sh", "echo hi")
p File.chmod(0755, "run.sh"), File.stat("run.sh").mode.to_s(8)
require "fileutils"
FileUtils.chmod("go-rx", "run.sh")
p File.stat("run.sh").mode.to_s(8), File.stat("/app").mode.to_s(8)
begin
  File.chmod(0644, "missing.txt")
rescue SystemCallError => e
  p e.class
end`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe('1\n"100755"\n"100700"\n"40755"\nErrno::ENOENT\n');
  });

  it("recurses 1,200 levels through blocks in all four shapes (the VM trapped at ~650)", async () => {
    const r = await sb.execute(`def walk_map(n) = n.zero? ? 0 : [n].map { |c| walk_map(c - 1) }.first + 1
def walk_each(n)
  return 0 if n.zero?
  r = nil
  [n].each { |c| r = walk_each(c - 1) + 1 }
  r
end
memo = Hash.new { |h, k| h[k] = k.zero? ? 0 : h[k - 1] + 1 }
class Walker
  define_method(:walk) { |n| n.zero? ? 0 : walk(n - 1) + 1 }
end
p walk_map(1_200), walk_each(1_200), memo[1_200], Walker.new.walk(1_200)`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("1200\n1200\n1200\n1200\n");
    expect(r.success).toBe(true);
  });

  it("raises a catchable SystemStackError past 10,000 levels of method recursion", async () => {
    const r = await sb.execute(`def depth(n) = n.zero? ? 0 : depth(n - 1) + 1
p depth(10_000)
def forever(n) = forever(n + 1)
begin
  forever(0)
rescue SystemStackError => e
  p e.class
end`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("10000\nSystemStackError\n");
  });

  it("raises a catchable SystemStackError in runaway recursion through blocks (the VM trapped)", async () => {
    const r = await sb.execute(`def walk(n) = [n].map { |c| walk(c + 1) }
begin
  walk(0)
rescue SystemStackError => e
  p e.class
end
p :after`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("SystemStackError\n:after\n");
    expect(r.success).toBe(true);
  });

  it("raises, rescues, breaks and runs ensure 1,000 levels deep in recursion through blocks (trapped at ~60)", async () => {
    const r = await sb.execute(`def walk(n, &blk) = n.zero? ? blk.call : [n].map { |c| walk(c - 1, &blk) }.first
p walk(1_000) { begin; raise "boom"; rescue => e; e.message; end }
p walk(1_000) { Integer("zz") rescue :bad }
p walk(1_000) { loop { break :left } }
p walk(1_000) { s = 0; { a: 1, b: 2 }.each { |_, v| s += v }; s }
p walk(1_000) { File.open("deep.txt", "w") { |f| f.write("deep") } }
def up(n) = n.zero? ? raise(ArgumentError, "bottom") : [n].map { |c| up(c - 1) }
begin
  up(1_000)
rescue ArgumentError => e
  p e.message
end`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe('"boom"\n:bad\n:left\n3\n4\n"bottom"\n');
  });

  it("explains the trap of a non-local exit through many deep ensures in the notes", async () => {
    // Every level's Hash#each takes a large setjmp capture; the return unwinds through all of
    // them, and only the last few large ones are kept.
    const r = await sb.execute(`def walk(n)
  return 0 if n.zero?
  { n => 1 }.each { |k, _| return walk(k - 1) + 1 }
end
p walk(300)`);
    expect(r.trapped).toBe(true);
    expect(["unreachable", "trap"]).toContain(r.trapReason);
    expect(r.notes.join("\n")).toMatch(/recursion through blocks/);
  });
});
