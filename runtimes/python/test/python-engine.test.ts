import { CommonErrorType, errorGuidance, resolvePolicy } from "@llm-wasm-sandbox/core";
import { MemoryWorkspace, type RuntimeHarness, succeeded } from "@llm-wasm-sandbox/testkit";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonPlugin, vendorAdd } from "../src/index.js";
import { pythonHarness } from "./helpers.js";
import { buildWheel, wheelName } from "./wheel-builder.js";

// The acceptance cases for Python (and what errorGuidance makes of failures), driven
// through the engine the way the umbrella drives it.
let h: Awaited<ReturnType<typeof pythonHarness>>;
beforeAll(async () => {
  h = pythonHarness();
});
afterAll(async () => {
  await h?.close();
});

const run: RuntimeHarness["run"] = (...args) => h.run(...args);

function guidanceOf(r: Awaited<ReturnType<RuntimeHarness["run"]>>) {
  const p = resolvePolicy({});
  return errorGuidance({ ...r.raw, stderr: r.raw.stderr, languageError: r.interp.languageError ?? null, fuelBudget: p.fuelBudget, memoryBytes: p.memoryBytes, timeoutMs: p.timeoutMs });
}

describe("python basics", () => {
  it("reports CPython 3.14", async () => {
    expect(pythonPlugin.languageVersion).toBe("CPython 3.14.2");
    const { raw } = await run("import sys\nprint(sys.version_info[:2], sys.platform)");
    expect(raw.stdout.trim()).toBe("(3, 14) emscripten");
  });

  it("prints unicode intact", async () => {
    const { raw } = await run('print("héllo ✓ 日本")');
    expect(raw.stdout).toBe("héllo ✓ 日本\n");
  });

  it("fails an uncaught error with a ValueError language error and a clean traceback", async () => {
    const r = await run('raise ValueError("boom-py")');
    expect(succeeded(r)).toBe(false);
    expect(r.raw.exitCode).not.toBe(0);
    expect(r.raw.stderr).toContain('File "/app/user_code.py", line 1');
    expect(r.raw.stderr).not.toContain("<string>"); // the bootstrap's own frames are hidden
    expect(r.interp.languageError).toMatchObject({ name: "ValueError", message: "boom-py" });
  });

  it("names the line of a SyntaxError in the guidance", async () => {
    const r = await run("x = 1\ndef f(:\n  pass");
    expect(r.raw.stderr).toContain("SyntaxError");
    const g = guidanceOf(r);
    expect(g.errorType).toBe(CommonErrorType.SYNTAX_ERROR);
    expect(g.actionableGuidance.join(" ")).toContain("line 2");
  });

  it("runs the code as __main__ with /app as cwd, argv[0] the user file, the sandbox's modules first on sys.path", async () => {
    const { raw } = await run("import os, sys\nprint(__name__, __file__, os.getcwd(), sys.argv[0], sys.flags.no_user_site, sys.path[:2])");
    expect(raw.stdout.trim()).toBe("__main__ /app/user_code.py /app /app/user_code.py 1 ['/data/sandbox-lib', '/app']");
  });

  it("runs the user's code as the real file /app/user_code.py (inspect and tracebacks show its lines)", async () => {
    const r = await run("import inspect\ndef area(r):\n    return 3 * r * r\nprint(inspect.getsource(area).splitlines()[1].strip())\nraise KeyError(area(2))");
    expect(r.raw.stdout).toBe("return 3 * r * r\n");
    expect(r.raw.stderr).toContain('File "/app/user_code.py", line 5, in <module>\n    raise KeyError(area(2))');
    expect(r.interp.languageError).toMatchObject({ name: "KeyError", message: "12" });
  });

  it("imports the stdlib from the read-only bytecode directory, not through zipimport", async () => {
    const { raw } = await run('import email.message as m\nprint(m.__file__, m.__cached__)\ntry:\n    open("/lib/python3.14/json/__init__.py", "a").write("x")\nexcept OSError as e:\n    print("read-only", type(e).__name__)');
    expect(raw.stdout).toContain("/lib/python3.14/email/message.py /lib/python3.14/email/__pycache__/message.cpython-314.pyc\n");
    expect(raw.stdout).toContain("read-only");
  });

  it("runs the README example", async () => {
    const { raw } = await run('import sandbox_utils as su\nsu.echo("hi", "/app/a.txt")\nprint(su.ls())');
    expect(raw.stdout).toBe("['a.txt', 'user_code.py']\n");
  });

  it("supports exit() without the site module, with its exit code", async () => {
    const r = await run('print("bye")\nexit(3)');
    expect(r.raw.stdout).toBe("bye\n");
    expect(r.raw.exitCode).toBe(3);
    expect(succeeded(r)).toBe(false);
  });

  it("gives ModuleNotFoundError vendoring advice", async () => {
    const g = guidanceOf(await run("import numpy"));
    expect(g.errorType).toBe(CommonErrorType.MISSING_PACKAGE);
    expect(g.actionableGuidance.join(" ")).toContain("vendor add numpy");
  });

  it("imports a module the session wrote to /app without leaving __pycache__ behind", async () => {
    const ws = new MemoryWorkspace();
    ws.put("helper.py", "def twice(x):\n    return 2 * x\n");
    const { raw } = await run("import helper\nprint(helper.twice(21))", {}, ws);
    expect(raw.stdout.trim()).toBe("42");
    expect(raw.journal.entries.map((e) => e.path)).toEqual([]);
  });
});

describe("python isolation (attacks)", () => {
  it("rejects traversal to /etc/passwd through /app/.. and relative paths", async () => {
    const { raw } = await run('for p in ["/app/../../../../etc/passwd", "../../../../etc/passwd", "/app/./../etc/passwd"]:\n    try:\n        print(open(p).read())\n    except Exception as e:\n        print("denied", type(e).__name__)');
    expect(raw.stdout).not.toMatch(/root:.:0:0/);
    expect(raw.stdout.match(/denied/g)?.length).toBe(3);
  });

  it("rejects symlinks pointing outside /app", async () => {
    const { raw } = await run('import os\nfor s, d in [("/etc/passwd", "/app/l1"), ("/", "/app/l2"), ("../../../../etc", "/app/l3")]:\n    try:\n        os.symlink(s, d)\n    except Exception as e:\n        print("symlink denied", type(e).__name__)\nfor p in ["/app/l1", "/app/l2/etc/passwd", "/app/l3/passwd"]:\n    try:\n        print(open(p).read())\n    except Exception as e:\n        print("denied", type(e).__name__)');
    expect(raw.stdout).not.toMatch(/root:.:0:0/);
  });

  it("lists no host directories at /", async () => {
    const { raw } = await run('import os\ntry:\n    print(sorted(os.listdir("/")))\nexcept Exception as e:\n    print("denied", type(e).__name__)');
    expect(raw.stdout).not.toMatch(/'etc'|'proc'|'home'|'sys'/);
  });

  it("sees only the policy environment and its own home, no host HOME or PATH", async () => {
    const { raw } = await run("import os\nprint(sorted(os.environ.items()))", { env: { GREETING: "hi-there" } });
    expect(raw.stdout.trim()).toBe("[('GREETING', 'hi-there'), ('HOME', '/app'), ('LOGNAME', 'sandbox'), ('USER', 'sandbox')]");
  });

  it("starts every run from exactly its own environment: the default one is in the snapshot, an overridden one is applied, a run's changes never reach the next", async () => {
    const show = "import os\nprint(sorted(os.environ.items()))";
    const defaults = "[('HOME', '/app'), ('LOGNAME', 'sandbox'), ('USER', 'sandbox')]";
    const changed = await run(`${show}\nos.environ['LEAK'] = '1'\ndel os.environ['HOME']\nos.putenv('RAW', '1')`);
    expect(changed.raw.stdout.trim()).toBe(defaults);
    expect((await run(show, { env: { HOME: "/tmp" } })).raw.stdout.trim()).toBe("[('HOME', '/tmp'), ('LOGNAME', 'sandbox'), ('USER', 'sandbox')]");
    expect((await run(`${show}\nprint(os.getenv('RAW'), os.getenv('LEAK'))`)).raw.stdout.trim()).toBe(`${defaults}\nNone None`);
  });

  it("cannot open a socket or start a process", async () => {
    const { raw } = await run('import socket, subprocess\ntry:\n    socket.socket().connect(("127.0.0.1", 22))\n    print("CONNECTED")\nexcept Exception as e:\n    print("denied", type(e).__name__)\ntry:\n    subprocess.run(["echo", "R" + "AN"])\nexcept Exception as e:\n    print("denied", type(e).__name__)\nimport os\nprint(hasattr(os, "system"))');
    expect(raw.stdout).not.toContain("CONNECTED");
    expect(raw.stdout).not.toContain("RAN");
    expect(raw.stdout).toContain("denied OSError");
  });
});

describe("python limits", () => {
  it("fails a 512 MiB bytearray under a 64 MiB cap, staying under the cap", async () => {
    const r = await run('x = bytearray(512 * 1024 * 1024)\nprint("ALLOCATED")', { memoryBytes: 64 * 1024 * 1024 });
    expect(r.raw.stdout).not.toContain("ALLOCATED");
    expect(succeeded(r)).toBe(false);
    expect(r.raw.memoryUsedBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(guidanceOf(r).errorType).toBe(CommonErrorType.MEMORY_LIMIT);
  });

  it("ends unbounded recursion as a RecursionError", async () => {
    const r = await run("def f(n):\n    return f(n + 1)\nf(0)");
    expect(r.raw.stderr).toContain("RecursionError");
    expect(r.raw.trapReason).toBeNull();
    expect(guidanceOf(r).errorType).toBe(CommonErrorType.STACK_OVERFLOW);
  });

  it("consumes the same fuel for the same code without deterministic mode", async () => {
    const code = 'import json\nprint(json.dumps({str(i): i * i for i in range(2000)})[:20])';
    const a = await run(code);
    const b = await run(code);
    expect(a.raw.exitCode).toBe(0);
    expect(b.raw.fuelConsumed).toBe(a.raw.fuelConsumed);
  });

  it("keeps output printed before an out-of-fuel trap", async () => {
    const { raw } = await run('print("before-loop")\nwhile True:\n    pass', { fuelBudget: 1_000_000_000 });
    expect(raw.trapReason).toBe("out_of_fuel");
    expect(raw.stdout).toContain("before-loop");
  });
});

describe("python sessions", () => {
  it("resumes from files written by an earlier execution", async () => {
    const ws = new MemoryWorkspace();
    const first = await run('import json\njson.dump({"users": ["Alice", "Bob"]}, open("/app/data.json", "w"))', {}, ws);
    expect(first.raw.journal.entries.map((e) => e.path)).toEqual(["data.json"]);
    const second = await run('import json\nd = json.load(open("/app/data.json"))\nd["users"].append("Charlie")\nprint(d["users"])', {}, ws);
    expect(second.raw.stdout.trim()).toBe("['Alice', 'Bob', 'Charlie']");
  });
});

describe("python vendored packages", () => {
  it("imports a vendored wheel from the read-only /data/site-packages mount", async () => {
    const tmp = await mkdtemp(join(tmpdir(), "py-vendor-run-"));
    try {
      const whl = join(tmp, wheelName("greetlib", "0.1"));
      await writeFile(whl, buildWheel("greetlib", "0.1", { "greetlib/__init__.py": "def greet(n):\n    return f'hello {n}'\n" }));
      const vendorDir = join(tmp, "vendor");
      await vendorAdd(whl, { vendorDir });
      const hv = pythonHarness(vendorDir);
      const { raw } = await hv.run("import greetlib\nprint(greetlib.greet('py'), greetlib.__file__)\ntry:\n    open(greetlib.__file__, 'a').write('x')\nexcept OSError as e:\n    print('read-only', type(e).__name__)");
      expect(raw.stdout).toContain("hello py /data/site-packages/greetlib/__init__.py");
      expect(raw.stdout).toContain("read-only");
      await hv?.close();
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
