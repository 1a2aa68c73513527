import { describe, expect, it } from "vitest";
import { createVirtualFs } from "../vfs/index.js";
import { runPython } from "./testing/run-python.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe("real CPython over preview1 and the VirtualFs", () => {
  it("runs code, writes /app and reports the write in the journal", async () => {
    const r = await runPython(
      "import os\nopen('/app/out.txt','w').write('x')\nos.makedirs('/app/d/e')\nprint(open('/app/out.txt').read(), sorted(os.listdir('/app')))",
    );
    expect(r.stdout).toBe("x ['d', 'out.txt']\n");
    expect(r.exitCode).toBe(0);
    const entries = r.fs.journal().entries.map((e) => `${e.op} ${e.path}${e.op === "write" ? ` ${dec(e.data)}` : ""}`);
    expect(entries).toEqual(["mkdir d", "mkdir d/e", "write out.txt x"]);
    expect(r.fs.changedPaths()).toEqual({ created: ["out.txt"], modified: [], deleted: [] });
  });

  it("reads workspace files lazily through the loader and journals only real changes", async () => {
    const loaded: string[] = [];
    const files: Record<string, string> = { "a.txt": "alpha", "b.txt": "beta", "c.txt": "gamma" };
    const fs = createVirtualFs({
      workspace: {
        entries: Object.entries(files).map(([path, text]) => ({ path, type: "file" as const, size: text.length, mtimeMs: 0 })),
        load: (p) => {
          loaded.push(p);
          return enc(files[p] ?? "");
        },
      },
    });
    const r = await runPython(
      "print(open('/app/a.txt').read())\nopen('/app/b.txt','w').write('beta')\nimport os\nos.remove('/app/c.txt')",
      { fs },
    );
    expect(r.stdout).toBe("alpha\n");
    expect(r.exitCode).toBe(0);
    // b.txt was rewritten with identical bytes: not modified; c.txt never needed loading.
    expect(fs.changedPaths()).toEqual({ created: [], modified: [], deleted: ["c.txt"] });
    expect(fs.journal().entries).toEqual([{ op: "delete", path: "c.txt" }]);
    expect(loaded).not.toContain("c.txt");
  });

  it("lists a large directory completely and removes it with shutil.rmtree", async () => {
    const r = await runPython(
      "import os, shutil\nos.mkdir('/app/many')\nfor i in range(600): open(f'/app/many/file-with-a-longish-name-{i:04}', 'w').close()\nprint(len(os.listdir('/app/many')), len(set(os.listdir('/app/many'))))\nshutil.rmtree('/app/many')\nprint(os.path.exists('/app/many'))",
    );
    expect(r.stdout).toBe("600 600\nFalse\n");
    expect(r.fs.journal().entries).toEqual([]);
  });

  it("exits with the code passed to sys.exit (proc_exit)", async () => {
    const r = await runPython("import sys\nsys.exit(7)");
    expect(r.exitCode).toBe(7);
  });

  it("sees only the given environment and argv", async () => {
    const r = await runPython("import os,sys\nprint(dict(os.environ), sys.argv[1:])", { env: { ONLY: "this" } });
    expect(r.stdout).toBe("{'ONLY': 'this'} []\n");
  });

  it("reads stdin from the given buffer", async () => {
    const r = await runPython("import sys\nprint(sys.stdin.read().upper())", { stdin: enc("piped text") });
    expect(r.stdout).toBe("PIPED TEXT\n");
  });

  it("caps stdout, flags truncation and still completes the run", async () => {
    const r = await runPython("for i in range(20000): print('line', i)\nopen('/app/done','w').write('1')", { stdoutMax: 1000 });
    expect(r.stdout.length).toBe(1000);
    expect(r.stdoutTruncated).toBe(true);
    expect(r.exitCode).toBe(0);
    expect(r.fs.changedPaths().created).toEqual(["done"]);
  });

  it("is deterministic: same time and random numbers on every run", async () => {
    const code = "import time,random,os\nprint(time.time(), random.random(), os.urandom(4).hex())";
    const a = await runPython(code);
    const b = await runPython(code);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.startsWith("1704067200.0 ")).toBe(true);
  });

  it("time.sleep advances the virtual clock instead of waiting", async () => {
    const r = await runPython("import time\nt=time.time()\ntime.sleep(3600)\nprint(round(time.time()-t))");
    expect(r.stdout).toBe("3600\n");
  });

  it("follows relative and absolute symlinks that stay inside the tree", async () => {
    const r = await runPython(
      "import os\nos.makedirs('/app/d')\nopen('/app/d/f','w').write('in')\nos.symlink('d/f','/app/rel')\nos.symlink('/app/d','/app/abs')\nprint(open('/app/rel').read(), os.listdir('/app/abs'), os.readlink('/app/rel'))",
    );
    expect(r.stdout).toBe("in ['f'] d/f\n");
  });

  it("puts tempfile's files in the run's /tmp, which is not journaled", async () => {
    const r = await runPython("import tempfile, os\nwith tempfile.NamedTemporaryFile('w', delete=False) as f: f.write('t')\nprint(f.name.startswith('/tmp/'), open(f.name).read())");
    expect(r.stdout).toBe("True t\n");
    expect(r.fs.journal().entries).toEqual([]);
  });

  it("lists only mount points at /", async () => {
    const fs = createVirtualFs({ mounts: [{ guestPath: "/data/ref", files: { "r.txt": enc("ref") } }] });
    const r = await runPython("import os\nprint(sorted(os.listdir('/')), os.listdir('/data'), open('/data/ref/r.txt').read())", { fs });
    expect(r.stdout).toBe("['app', 'data', 'tmp'] ['ref'] ref\n");
  });
});

describe("attacks through a real guest", () => {
  it("rejects '..' traversal from /app to host files", async () => {
    const r = await runPython(
      [
        "import os",
        "for p in ['/app/../../../../etc/passwd', '../../../../etc/passwd', '/app/./../etc/passwd', '/etc/passwd']:",
        "    try:",
        "        print(open(p).read())",
        "    except Exception as e:",
        "        print('denied', type(e).__name__)",
      ].join("\n"),
    );
    expect(r.stdout).toBe("denied FileNotFoundError\n".repeat(4));
  });

  it("rejects symlinks pointing outside /app (to /, /etc/passwd, ../../..)", async () => {
    const r = await runPython(
      [
        "import os",
        "for src, dst in [('/etc/passwd', '/app/l1'), ('/', '/app/l2'), ('../../../../etc', '/app/l3')]:",
        "    os.symlink(src, dst)",
        "for p in ['/app/l1', '/app/l2/etc/passwd', '/app/l3/passwd']:",
        "    try:",
        "        print(open(p).read())",
        "    except Exception as e:",
        "        print('denied', type(e).__name__)",
        "print(sorted(os.listdir('/app/l2')))",
      ].join("\n"),
    );
    expect(r.stdout).toBe("denied FileNotFoundError\n".repeat(3) + "['app', 'tmp']\n");
    // Symlinks live for the run only.
    expect(r.fs.journal().entries).toEqual([]);
  });

  it("reports a symlink loop as ELOOP", async () => {
    const r2 = await runPython(
      "import os, errno\nos.symlink('/app/b','/app/a')\nos.symlink('/app/a','/app/b')\ntry:\n    open('/app/a')\nexcept OSError as e:\n    print(errno.errorcode[e.errno])",
    );
    expect(r2.stdout).toBe("ELOOP\n");
  });

  it("refuses writes to read-only mounts and to / itself", async () => {
    const fs = createVirtualFs({ mounts: [{ guestPath: "/data", files: { "f.txt": enc("keep") } }] });
    const r = await runPython(
      [
        "import os, errno",
        "def t(f):",
        "    try:",
        "        f(); print('ALLOWED')",
        "    except OSError as e:",
        "        print(errno.errorcode[e.errno])",
        "t(lambda: open('/data/f.txt','w'))",
        "t(lambda: open('/data/new.txt','w'))",
        "t(lambda: os.remove('/data/f.txt'))",
        "t(lambda: os.mkdir('/data/d'))",
        "t(lambda: open('/evil.txt','w'))",
        "t(lambda: os.mkdir('/etc'))",
        "print(open('/data/f.txt').read())",
      ].join("\n"),
      { fs },
    );
    expect(r.stdout).toBe("EROFS\nEROFS\nEROFS\nEROFS\nEACCES\nEACCES\nkeep\n");
  });

  it("refuses renaming /app itself and renames across mounts", async () => {
    const fs = createVirtualFs({ mounts: [{ guestPath: "/data", files: { "f.txt": enc("x") } }] });
    const r = await runPython(
      [
        "import os, errno",
        "open('/app/a','w').write('a')",
        "for s, d in [('/app', '/moved'), ('/app', '/app/sub'), ('/app/a', '/data/a'), ('/data/f.txt', '/app/f.txt')]:",
        "    try:",
        "        os.rename(s, d); print('ALLOWED')",
        "    except OSError as e:",
        "        print(errno.errorcode[e.errno])",
      ].join("\n"),
      { fs },
    );
    expect(r.stdout).toBe("EBUSY\nEBUSY\nEROFS\nEROFS\n");
  });

  it("rejects NUL bytes in paths", async () => {
    const r = await runPython("try:\n    open('/app/a\\x00b')\nexcept ValueError as e:\n    print('ValueError')");
    expect(r.stdout).toBe("ValueError\n");
  });

  it("fails O_DIRECTORY on a file with ENOTDIR", async () => {
    const r = await runPython(
      "import os, errno\nopen('/app/f','w').close()\ntry:\n    os.open('/app/f', os.O_RDONLY | os.O_DIRECTORY)\nexcept OSError as e:\n    print(errno.errorcode[e.errno])",
    );
    expect(r.stdout).toBe("ENOTDIR\n");
  });
});
