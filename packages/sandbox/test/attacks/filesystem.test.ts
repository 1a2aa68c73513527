/**
 * Filesystem boundary: the guest sees a virtual tree (/app read-write, read-only mounts);
 * no path trick may reach a host file or write outside the session.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, listSessionFiles, memoryStorage, readSessionFile, type Sandbox } from "../../src/index.js";
import { CANARY, createFixture, sandboxFor, type AttackFixture } from "./helpers.js";

let fx: AttackFixture;
let py: Sandbox;
beforeAll(async () => {
  fx = await createFixture();
  py = await sandboxFor("python", fx);
});
afterAll(() => fx.cleanup());

const escapes = (canary: string) => [
  "/app/../secret/canary.txt",
  "/app/../../secret/canary.txt",
  "/app/../../../../../../../../" + canary.replace(/^\//, ""),
  canary,
  "/etc/passwd",
  "/proc/self/environ",
  "../canary.txt",
  "../../canary.txt",
  "/app/./../canary.txt",
];

describe("filesystem escapes (python)", () => {
  it("rejects .. chains and absolute host paths", async () => {
    const paths = JSON.stringify(escapes(fx.canaryPath));
    const r = await py.execute(`
import os
for p in ${paths}:
    try:
        print(p, "READ", open(p).read()[:200])
    except Exception as e:
        print(p, "ERR", type(e).__name__)
for d in ["/", "/app/..", "/..", "../.."]:
    try:
        print(d, "LIST", sorted(os.listdir(d)))
    except Exception as e:
        print(d, "ERR", type(e).__name__)
`);
    if (process.env.ATTACK_DEBUG) console.log(r.stdout, r.stderr);
    expect(r.stdout).not.toContain(CANARY);
    expect(r.stdout).not.toContain("root:");
    expect(r.stdout).not.toMatch(/LIST .*secret/);
    expect(r.stdout).not.toMatch(/READ/);
    expect(r.stdout).toContain("/etc/passwd ERR"); // the loop ran to the end
  });

  it("rejects a symlink pointing outside /app, and a rename race swapping one in", async () => {
    const r = await py.execute(`
import os
results = []
for target in ["${fx.canaryPath}", "/app/../secret/canary.txt", "../canary.txt", "/etc/passwd"]:
    try:
        if os.path.lexists("/app/link"): os.remove("/app/link")
        os.symlink(target, "/app/link")
        results.append(("symlink-made", target))
        results.append(("READ", open("/app/link").read()[:100]))
    except Exception as e:
        results.append(("ERR", type(e).__name__))
open("/app/benign.txt", "w").write("benign")
try:
    os.symlink("${fx.canaryPath}", "/app/evil")
    os.rename("/app/evil", "/app/benign.txt")
    results.append(("READ", open("/app/benign.txt").read()[:100]))
except Exception as e:
    results.append(("ERR", type(e).__name__))
try:
    os.link("${fx.canaryPath}", "/app/hard")
    results.append(("READ", open("/app/hard").read()))
except Exception as e:
    results.append(("ERR", type(e).__name__))
print(results)
`);
    if (process.env.ATTACK_DEBUG) console.log(r.stdout, r.stderr);
    expect(r.stdout).not.toContain(CANARY);
    expect(r.stdout).not.toContain("root:");
    expect(r.stdout).toContain("symlink-made"); // the attack really ran
    // and nothing on disk outside the session changed
    expect(await readFile(fx.canaryPath, "utf8")).toBe(CANARY);
  });

  it("keeps NUL bytes, very long paths and unicode tricks inside /app", async () => {
    const r = await py.execute(`
import os
out = []
for p in ["/app/a\\x00/../../secret/canary.txt", "/app/" + "a" * 5000, "/app/" + "/".join(["b"] * 2000),
          "/app/\\u2024\\u2024/secret", "/app/\\uff0e\\uff0e/canary.txt", "/app/a/./b/../../c.txt", "/app/trail/"]:
    try:
        d = os.path.dirname(p)
        if d and not os.path.exists(d): os.makedirs(d, exist_ok=True)
        open(p, "w").write("x")
        out.append(("W", len(p)))
    except Exception as e:
        out.append(("ERR", type(e).__name__))
print(out)
print(sorted(os.listdir("/app"))[:20])
`);
    if (process.env.ATTACK_DEBUG) console.log(r.stdout, r.stderr);
    expect(r.stdout).not.toContain(CANARY);
    // Host did not grow files outside the workspace root.
    expect((await readdir(fx.root)).sort()).toEqual(["secret", "workspace"]);
    expect((await readdir(join(fx.root, "secret")))).toEqual(["canary.txt"]);
  });

  it("refuses invalid UTF-8, lone surrogates and control characters in file names", async () => {
    const r = await py.execute(`
import os
for name in [b'/app/\\xff', b'/app/\\xfe', b'/app/\\xed\\xa0\\x80', b'/app/ok\\x1b[31m\\nx']:
    try:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT); os.close(fd); print("MADE", name)
    except OSError as e:
        print("ERR", e.errno)
`);
    expect(r.stdout).not.toContain("MADE");
    expect(r.stdout.match(/^ERR \d+$/gm)).toHaveLength(4);
  });

  it("cannot write to read-only mounts /data and /external", async () => {
    const sb = await createSandbox({
      runtime: "python",
      storage: memoryStorage(),
      mounts: [{ guestPath: "/external", files: { "ro.txt": new TextEncoder().encode("original") } }],
    });
    const r = await sb.execute(`
import os
res = []
for p in ["/external/ro.txt", "/external/new.txt", "/data/new.txt"]:
    try:
        with open(p, "w") as f: f.write("overwritten")
        res.append(("WROTE", p))
    except Exception as e:
        res.append(("ERR", p, type(e).__name__))
for op in [lambda: os.remove("/external/ro.txt"), lambda: os.rename("/external/ro.txt", "/app/stolen.txt"), lambda: os.mkdir("/external/d")]:
    try:
        op(); res.append(("OP-OK",))
    except Exception as e:
        res.append(("ERR", type(e).__name__))
print(res)
print(open("/external/ro.txt").read())
`);
    expect(r.stdout).not.toContain("WROTE");
    expect(r.stdout).not.toContain("OP-OK");
    expect(r.stdout.trim().split("\n").at(-1)).toBe("original");
    const again = await sb.execute("print(open('/external/ro.txt').read())");
    expect(again.stdout).toBe("original\n");
  });

  it("a guest-planted .llm-sandbox/state.json does not poison another runtime's state load", async () => {
    const storage = memoryStorage();
    const lua = await createSandbox({ runtime: "lua", storage, autoPersistGlobals: true });
    await lua.execute(`
os.execute = nil
local names = {".llm-sandbox/state.json", ".llm-sandbox/state-javascript.json", ".llm-sandbox/state-python.json", ".llm-sandbox/state-ruby.json", ".llm-sandbox/state-lua.json"}
for _, n in ipairs(names) do
  local f = io.open("/app/" .. n, "w")
  if f then f:write('{"__proto__": {"polluted": 1}, "x": {"__class__": "os.system"}, "y": "' .. string.rep("A", 1000) .. '"}') f:close() end
end
`);
    for (const runtime of ["python", "javascript", "ruby"]) {
      const sb = await createSandbox({ runtime, storage, sessionId: lua.sessionId, autoPersistGlobals: true });
      const code = runtime === "python" ? "print('alive')" : runtime === "javascript" ? "console.log('alive', ({}).polluted === undefined)" : "puts 'alive'";
      const r = await sb.execute(code);
      // either the state is ignored or rejected with an error; the host survives and nothing is executed
      expect(r.stdout + r.stderr).not.toContain("polluted\": 1");
      if (runtime === "javascript" && r.success) expect(r.stdout).toContain("alive true");
    }
  });

  it("a directory replacing a file the session had, and a/./b paths, commit consistently", async () => {
    const storage = memoryStorage();
    const sb = await createSandbox({ runtime: "python", storage });
    await sb.execute("open('/app/thing', 'w').write('file')");
    const r = await sb.execute(`
import os
os.remove('/app/thing'); os.makedirs('/app/thing/./inner/', exist_ok=True)
open('/app/thing/./inner//x.txt', 'w').write('nested')
print(open('/app/thing/inner/x.txt').read())
`);
    expect(r.stdout).toBe("nested\n");
    const bytes = await readSessionFile(sb.sessionId, "thing/inner/x.txt", { storage });
    expect(new TextDecoder().decode(bytes)).toBe("nested");
    const again = await sb.execute("import os; print(os.path.isdir('/app/thing'), sorted(os.listdir('/app/thing')))");
    expect(again.stdout).toBe("True ['inner']\n");
  });
});

const READ_ESCAPES: Record<string, (paths: string) => string> = {
  javascript: (paths) => `for (const p of ${paths}) { try { console.log(p, "READ", readText(p).slice(0, 100)); } catch (e) { console.log(p, "ERR", e.name); } }
for (const d of ["/", "/app/..", ".."]) { try { console.log(d, "LIST", JSON.stringify(listFiles(d))); } catch (e) { console.log(d, "ERR", e.name); } }`,
  ruby: (paths) => `${paths}.each { |p| begin; puts "#{p} READ #{File.read(p)[0, 100]}"; rescue Exception => e; puts "#{p} ERR #{e.class}"; end }
["/", "/app/..", ".."].each { |d| begin; puts "#{d} LIST #{Dir.children(d).sort.inspect}"; rescue Exception => e; puts "#{d} ERR #{e.class}"; end }`,
  lua: (paths) => `for _, p in ipairs(${paths.replace("[", "{").replace(/\]$/, "}")}) do local f, err = io.open(p) if f then print(p, "READ", f:read("a"):sub(1, 100)) else print(p, "ERR", err) end end`,
};

describe.each(Object.keys(READ_ESCAPES))("filesystem escapes (%s)", (runtime) => {
  it("rejects .. chains, absolute host paths and /proc", async () => {
    const sb = await sandboxFor(runtime, fx);
    const r = await sb.execute(READ_ESCAPES[runtime]!(JSON.stringify(escapes(fx.canaryPath))));
    if (process.env.ATTACK_DEBUG) console.log(r.stdout, r.stderr);
    expect(r.stdout).not.toContain(CANARY);
    expect(r.stdout).not.toContain("root:");
    expect(r.stdout).not.toMatch(/READ/);
    expect(r.stdout).not.toMatch(/LIST .*secret/);
    expect(r.stdout).toMatch(/\/etc\/passwd\s+ERR/); // the loop ran
  });
});

describe("filesystem exhaustion", () => {
  it("one 600 MB file hits ENOSPC at the workspace cap, never the host", async () => {
    const storage = memoryStorage();
    const sb = await createSandbox({ runtime: "python", storage, policy: { fuelBudget: 20_000_000_000, timeoutMs: 60_000 } });
    const r = await sb.execute(`
chunk = b"x" * (4 * 1024 * 1024)
n = 0
try:
    with open("/app/big.bin", "wb") as f:
        for i in range(150):
            f.write(chunk); n += 4
    print("WROTE", n)
except OSError as e:
    print("ENOSPC" if e.errno == 51 or "space" in str(e) else "OTHER", n)
`);
    if (process.env.ATTACK_DEBUG) console.log(r.stdout, r.stderr, process.memoryUsage());
    expect(r.stdout).toMatch(/^ENOSPC (\d+)$/m);
    expect(Number(/ENOSPC (\d+)/.exec(r.stdout)?.[1])).toBeLessThanOrEqual(512);
    const files = await listSessionFiles(sb.sessionId, { storage });
    const big = files.find((f) => f.path === "big.bin");
    expect(big === undefined || (big.type === "file" && big.size <= 512 * 1024 * 1024)).toBe(true);
  });

  it("creating 100k files does not break the run or the commit", async () => {
    const storage = memoryStorage();
    const sb = await createSandbox({ runtime: "lua", storage, policy: { fuelBudget: 50_000_000_000, timeoutMs: 60_000 } });
    const r = await sb.execute(`local n = 0
for i = 1, 100000 do local f = io.open("/app/f" .. i, "w") if not f then break end f:close() n = n + 1 end
print("MADE", n)`);
    if (process.env.ATTACK_DEBUG) console.log(r.stdout, r.stderr, r.durationMs);
    expect(r.stdout).toMatch(/^MADE\s+\d+$/m);
    const listed = await listSessionFiles(sb.sessionId, { storage });
    expect(listed.filter((f) => f.type === "file").length).toBe(Number(/MADE\s+(\d+)/.exec(r.stdout)?.[1]));
  });

  it("10k levels of nested directories stop at the path limit and the next run still loads", async () => {
    const storage = memoryStorage();
    const sb = await createSandbox({ runtime: "python", storage, policy: { fuelBudget: 20_000_000_000, timeoutMs: 60_000 } });
    const r = await sb.execute(`
import os
n = 0
os.chdir("/app")
try:
    for i in range(10000):
        os.mkdir("d"); os.chdir("d"); n += 1
    print("DEPTH", n)
except OSError as e:
    print("STOPPED", n, e.errno)
`);
    if (process.env.ATTACK_DEBUG) console.log(r.stdout, r.stderr, r.durationMs);
    expect(r.stdout).toMatch(/^(STOPPED|DEPTH) \d+/m);
    const next = await sb.execute("import os\nprint('WALK', sum(1 for _ in os.walk('/app')))");
    expect(next.success).toBe(true);
    expect(next.stdout).toMatch(/^WALK \d+$/m);
  });
});
