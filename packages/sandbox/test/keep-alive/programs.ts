/**
 * The programs the warm-session tests run, per runtime: the same steps in each language's
 * own words.
 */

/** A runtime's programs (see each field). */
export interface WarmPrograms {
  /** Defines x = 1, a class instance `c` (bumped once), a generator `it` (advanced once) and loads a module. */
  readonly define: string;
  /** Prints `x+1 <next of it> <c bumped again> <module works>`, and increments x. */
  readonly use: string;
  /** What `use` prints right after `define` (whitespace-separated words). */
  readonly expected: readonly string[];
  /** Prints whether the live-only state of `define` exists: "live" or "gone". */
  readonly probe: string;
  /** Writes kept.txt and saves `saved = 41` in the persisted state (autoPersistGlobals). */
  readonly persist: string;
  /** Prints kept.txt's text and the persisted `saved`. */
  readonly readBack: string;
  /** Loops forever. */
  readonly spin: string;
  /** Counts to `n` in a loop (fuel proportional to n). */
  readonly count: (n: number) => string;
  /** Leaves a background task that would increment `n` each time it ran; sets n = 0. */
  readonly background: string;
  /** Prints n. */
  readonly printN: string;
  /** Allocates `bytes` and keeps them in a global (a new global name per `tag`). */
  readonly hold: (bytes: number, tag: number) => string;
}

export const PROGRAMS: Readonly<Record<"python" | "javascript" | "ruby" | "lua", WarmPrograms>> = {
  python: {
    define: `import json as j
class Counter:
    def __init__(self):
        self.n = 0
    def bump(self):
        self.n += 1
        return self.n
c = Counter()
c.bump()
def gen():
    i = 0
    while True:
        yield i
        i += 1
it = gen()
next(it)
x = 1`,
    use: `x += 1
print(x, next(it), c.bump(), j.dumps("ok"))`,
    expected: ["2", "1", "2", '"ok"'],
    // The generator: a global that autoPersistGlobals cannot save (x would come back).
    probe: `print("live" if "it" in globals() else "gone")`,
    persist: `open("kept.txt", "w").write("kept")
saved = 41`,
    readBack: `print(open("kept.txt").read(), saved)`,
    spin: `while True:
    pass`,
    count: (n) => `i = 0
while i < ${n}:
    i += 1`,
    background: `import asyncio
n = 0
async def bump():
    global n
    while True:
        n += 1
        await asyncio.sleep(0)
loop = asyncio.new_event_loop()
task = loop.create_task(bump())`,
    printN: `print(n)`,
    hold: (bytes, tag) => `hold_${tag} = bytearray(${bytes})`,
  },
  javascript: {
    define: `var x = 1;
class Counter { n = 0; bump() { return ++this.n; } }
globalThis.c = new Counter();
c.bump();
globalThis.it = (function* () { let i = 0; while (true) yield i++; })();
it.next();
globalThis.codec = new TextEncoder();`,
    use: `x += 1;
console.log(x, it.next().value, c.bump(), codec.encode("ok").length === 2 ? "ok" : "broken");`,
    expected: ["2", "1", "2", "ok"],
    probe: `console.log(typeof x === "undefined" ? "gone" : "live")`,
    persist: `writeText("kept.txt", "kept");
_state.saved = 41;`,
    readBack: `console.log(readText("kept.txt"), _state.saved)`,
    spin: `for (;;) {}`,
    count: (n) => `for (let i = 0; i < ${n}; i++) {}`,
    background: `globalThis.n = 0;
new Promise(() => {}).then(() => { n += 1000; });
globalThis.pending = new Promise(() => {});
(async () => { await pending; for (;;) n++; })();`,
    printN: `console.log(n)`,
    hold: (bytes, tag) => `globalThis.hold_${tag} = new Uint8Array(${bytes}); hold_${tag}.fill(1);`,
  },
  ruby: {
    define: `require "set"
class Counter
  def initialize = @n = 0
  def bump = @n += 1
end
$c = Counter.new
$c.bump
$it = Enumerator.new { |y| i = 0; loop { y << i; i += 1 } }
$it.next
x = 1`,
    use: `x += 1
puts [x, $it.next, $c.bump, Set[1].include?(1) ? "ok" : "broken"].join(" ")`,
    expected: ["2", "1", "2", "ok"],
    probe: `puts(defined?(x) ? "live" : "gone")`,
    persist: `File.write("kept.txt", "kept")
$state["saved"] = 41`,
    readBack: `puts "#{File.read("kept.txt")} #{$state["saved"]}"`,
    spin: `loop {}`,
    count: (n) => `i = 0
i += 1 while i < ${n}`,
    background: `$n = 0
$fiber = Fiber.new { loop { $n += 1; Fiber.yield } }`,
    printN: `puts $n`,
    hold: (bytes, tag) => `$hold_${tag} = "x" * ${bytes}`,
  },
  lua: {
    define: `x = 1
Counter = {}
Counter.__index = Counter
function Counter.new() return setmetatable({ n = 0 }, Counter) end
function Counter:bump() self.n = self.n + 1; return self.n end
c = Counter.new()
c:bump()
it = coroutine.wrap(function() local i = 0; while true do coroutine.yield(i); i = i + 1 end end)
it()
utf = require("utf8")`,
    use: `x = x + 1
print(x, it(), c:bump(), utf.char(111, 107))`,
    expected: ["2", "1", "2", "ok"],
    probe: `print(x == nil and "gone" or "live")`,
    persist: `local f = io.open("kept.txt", "w"); f:write("kept"); f:close()
_state.saved = 41`,
    readBack: `print(io.open("kept.txt"):read("a"), _state.saved)`,
    spin: `while true do end`,
    count: (n) => `local i = 0
while i < ${n} do i = i + 1 end`,
    background: `n = 0
co = coroutine.create(function() while true do n = n + 1; coroutine.yield() end end)`,
    printN: `print(n)`,
    hold: (bytes, tag) => `hold_${tag} = string.rep("x", ${bytes})`,
  },
};

/** Memory caps and the share of them one `hold` takes, per runtime (two holds cannot fit; one does). */
export const MEMORY: Readonly<Record<keyof typeof PROGRAMS, { readonly memoryBytes: number; readonly share: number }>> = {
  python: { memoryBytes: 512 * 1024 * 1024, share: 0.6 },
  ruby: { memoryBytes: 512 * 1024 * 1024, share: 0.6 },
  javascript: { memoryBytes: 128 * 1024 * 1024, share: 0.6 },
  lua: { memoryBytes: 128 * 1024 * 1024, share: 0.4 },
};

/** The runtimes that continue live interpreters. */
export const WARM_RUNTIMES = Object.keys(PROGRAMS) as (keyof typeof PROGRAMS)[];

/** Whitespace-separated words of a run's stdout. */
export function words(stdout: string): string[] {
  return stdout.trim().split(/\s+/);
}
