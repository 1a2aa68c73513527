import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile, mkdir, readdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareVersions, parseRequirement } from "../src/vendor/package-index.js";
import { parseWheelName } from "../src/vendor/wheel.js";
import { VendorError, vendorAdd, vendorList, vendorRemove } from "../src/index.js";
import { buildWheel, wheelName } from "./wheel-builder.js";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "py-vendor-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function wheelFile(name: string, version: string, files: Record<string, string>, tags?: string, opts?: Parameters<typeof buildWheel>[3]): Promise<string> {
  const path = join(tmp, wheelName(name, version, tags));
  await writeFile(path, buildWheel(name, version, files, opts));
  return path;
}

describe("vendorAdd from a wheel file", () => {
  it("installs a pure-Python wheel, lists it and removes it", async () => {
    const dir = join(tmp, "v1");
    const whl = await wheelFile("tinypkg", "1.2.0", { "tinypkg/__init__.py": "VALUE = 42\n", "tinypkg/sub/m.py": "X = 1\n" });
    const res = await vendorAdd(whl, { vendorDir: dir });
    expect(res.installed[0]?.name).toBe("tinypkg");
    expect(await readFile(join(dir, "tinypkg/__init__.py"), "utf8")).toBe("VALUE = 42\n");
    const list = await vendorList({ vendorDir: dir });
    expect(list.map((p) => `${p.name}==${p.version}`)).toEqual(["tinypkg==1.2.0"]);
    await vendorRemove("TinyPkg", { vendorDir: dir });
    expect(await vendorList({ vendorDir: dir })).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses a wheel with native code, naming the offending files", async () => {
    const whl = await wheelFile("fastthing", "1.0", { "fastthing/__init__.py": "", "fastthing/_speedups.cpython-312-x86_64-linux-gnu.so": "\x7fELF" });
    const err = await vendorAdd(whl, { vendorDir: join(tmp, "v2") }).catch((e: unknown) => e);
    expect(VendorError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain("fastthing/_speedups.cpython-312-x86_64-linux-gnu.so");
    expect((err as Error).message).toMatch(/not pure Python/);
  });

  it("refuses a wheel whose tags name a platform", async () => {
    const whl = await wheelFile("plat", "1.0", { "plat/__init__.py": "" }, "cp312-cp312-manylinux_2_17_x86_64");
    await expect(vendorAdd(whl, { vendorDir: join(tmp, "v3") })).rejects.toThrow(/cp312-cp312-manylinux_2_17_x86_64/);
  });

  it("rejects a wheel entry that tries to escape the vendor dir with ..", async () => {
    const whl = await wheelFile("evil", "1.0", { "evil/__init__.py": "", "evil/../../escape.py": "x" });
    await expect(vendorAdd(whl, { vendorDir: join(tmp, "v4") })).rejects.toThrow(/unsafe path|not a readable/);
  });

  it("installs .data/purelib content at the top level and drops scripts", async () => {
    const dir = join(tmp, "v12");
    const whl = await wheelFile("datalay", "1.0", { "datalay-1.0.data/purelib/datalay_mod.py": "X = 1\n", "datalay-1.0.data/scripts/tool": "#!/bin/sh\n" });
    const res = await vendorAdd(whl, { vendorDir: dir });
    expect(await readFile(join(dir, "datalay_mod.py"), "utf8")).toBe("X = 1\n");
    expect(res.installed[0]?.files.some((f) => f.includes("scripts"))).toBe(false);
  });

  it("upgrades in place: the old version's files are removed", async () => {
    const dir = join(tmp, "v5");
    await vendorAdd(await wheelFile("up", "1.0", { "up/__init__.py": "", "up/old.py": "" }), { vendorDir: dir });
    await vendorAdd(await wheelFile("up", "2.0", { "up/__init__.py": "" }), { vendorDir: dir });
    expect((await vendorList({ vendorDir: dir })).map((p) => p.version)).toEqual(["2.0"]);
    await expect(readFile(join(dir, "up/old.py"))).rejects.toThrow();
  });
});

describe("vendorAdd from a directory", () => {
  it("copies a pure-Python package directory", async () => {
    const src = join(tmp, "src", "mylib");
    await mkdir(src, { recursive: true });
    await writeFile(join(src, "__init__.py"), "def hi():\n    return 'hi'\n");
    const dir = join(tmp, "v6");
    await vendorAdd(src, { vendorDir: dir });
    expect(await readFile(join(dir, "mylib/__init__.py"), "utf8")).toContain("def hi");
    expect((await vendorList({ vendorDir: dir })).map((p) => p.name)).toEqual(["mylib"]);
  });

  it("refuses a wheel or directory that ships the sandbox's own modules (attack: shadowing sandbox_utils / _llm_sandbox / tools), writing nothing", async () => {
    const cases: [string, Record<string, string>][] = [
      ["shadow1", { "sandbox_utils/__init__.py": "def ls(): return 'pwned'\n" }],
      ["shadow2", { "sandbox_utils.py": "x = 1\n" }],
      ["shadow3", { "shadow3/__init__.py": "", "shadow3-1.0.data/purelib/_llm_sandbox/boot.py": "x = 1\n" }],
      // The host-function stubs (`from tools import search`): a wheel's own top-level `tools`.
      ["shadow4", { "tools.py": "def search(**kw): return 'pwned'\n" }],
      ["shadow5", { "shadow5/__init__.py": "", "tools/__init__.py": "" }],
    ];
    for (const [name, files] of cases) {
      const dir = join(tmp, `v-own-${name}`);
      const err = await vendorAdd(await wheelFile(name, "1.0", files), { vendorDir: dir }).catch((e: unknown) => e);
      expect(VendorError.isInstance(err), name).toBe(true);
      expect((err as Error).message).toMatch(/a module the sandbox provides itself/);
      expect(await readdir(dir).catch(() => [])).toEqual([]);
    }
    const src = join(tmp, "src-own", "sandbox_utils");
    await mkdir(src, { recursive: true });
    await writeFile(join(src, "__init__.py"), "");
    await expect(vendorAdd(src, { vendorDir: join(tmp, "v-own-dir") })).rejects.toThrow(/a module the sandbox provides itself/);
    const toolsDir = join(tmp, "src-own-tools", "tools");
    await mkdir(toolsDir, { recursive: true });
    await writeFile(join(toolsDir, "__init__.py"), "");
    await expect(vendorAdd(toolsDir, { vendorDir: join(tmp, "v-own-tools") })).rejects.toThrow(/a module the sandbox provides itself/);
  });

  it("refuses a package directory holding a shared library", async () => {
    const src = join(tmp, "src2", "nativelib");
    await mkdir(src, { recursive: true });
    await writeFile(join(src, "__init__.py"), "");
    await writeFile(join(src, "core.so"), "x");
    await expect(vendorAdd(src, { vendorDir: join(tmp, "v7") })).rejects.toThrow(/nativelib\/core\.so/);
  });
});

describe("vendorAdd by name from a local simple index (loopback only)", () => {
  let server: Server;
  let indexUrl: string;
  const blobs = new Map<string, Uint8Array>();
  const requests: string[] = [];

  beforeAll(async () => {
    blobs.set(wheelName("alpha", "1.0.0"), buildWheel("alpha", "1.0.0", { "alpha/__init__.py": "V = 1\n" }, { requires: ["beta", 'gamma; python_version < "3.8"'] }));
    blobs.set(wheelName("alpha", "1.10.0"), buildWheel("alpha", "1.10.0", { "alpha/__init__.py": "V = 110\n" }, { requires: ["beta"] }));
    blobs.set(wheelName("alpha", "2.0.0rc1"), buildWheel("alpha", "2.0.0rc1", { "alpha/__init__.py": "V = 2\n" }));
    blobs.set(wheelName("beta", "0.3"), buildWheel("beta", "0.3", { "beta.py": "B = 3\n" }));
    blobs.set(wheelName("native_only", "1.0", "cp312-cp312-manylinux_2_17_x86_64"), buildWheel("native_only", "1.0", { "native_only/__init__.py": "" }));
    const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.accept ?? ""}`);
      const url = new URL(req.url ?? "/", "http://x");
      const project = /^\/simple\/([^/]+)\/$/.exec(url.pathname)?.[1];
      if (project) {
        const files = [...blobs.keys()].filter((f) => f.toLowerCase().replace(/_/g, "-").startsWith(`${project}-`));
        if (files.length === 0) return void res.writeHead(404).end();
        if (project === "beta") {
          // beta is served as a PEP 503 HTML page, the others as PEP 691 JSON
          res.writeHead(200, { "content-type": "text/html" });
          return void res.end(files.map((f) => `<a href="../../files/${f}#sha256=${sha(blobs.get(f)!)}">${f}</a><br>`).join("\n"));
        }
        res.writeHead(200, { "content-type": "application/vnd.pypi.simple.v1+json" });
        return void res.end(JSON.stringify({ meta: { "api-version": "1.0" }, name: project, files: files.map((f) => ({ filename: f, url: `/files/${f}`, hashes: { sha256: sha(blobs.get(f)!) } })) }));
      }
      const blob = blobs.get(decodeURIComponent(url.pathname.replace(/^\/files\//, "")));
      if (blob) return void res.writeHead(200, { "content-type": "application/octet-stream" }).end(blob);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    indexUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it("installs the newest stable pure wheel and its unmarked dependencies", async () => {
    const dir = join(tmp, "v8");
    const res = await vendorAdd("alpha", { vendorDir: dir, indexUrl });
    expect(res.installed.map((p) => `${p.name}==${p.version}`)).toEqual(["alpha==1.10.0", "beta==0.3"]);
    expect(await readFile(join(dir, "alpha/__init__.py"), "utf8")).toBe("V = 110\n");
    expect(await readFile(join(dir, "beta.py"), "utf8")).toBe("B = 3\n");
    expect(requests.some((r) => r.includes("application/vnd.pypi.simple.v1+json"))).toBe(true);
  });

  it("honours an == pin and reports requirements with markers as skipped", async () => {
    const dir = join(tmp, "v9");
    const res = await vendorAdd("alpha==1.0.0", { vendorDir: dir, indexUrl });
    expect(res.installed[0]?.version).toBe("1.0.0");
    expect(res.skippedRequirements).toEqual(['alpha: gamma; python_version < "3.8"']);
  });

  it("explains that a package with only native wheels cannot be vendored", async () => {
    await expect(vendorAdd("native-only", { vendorDir: join(tmp, "v10"), indexUrl })).rejects.toThrow(/only platform-specific \(native\) wheels/);
  });

  it("says clearly when a name is not on the index", async () => {
    await expect(vendorAdd("does-not-exist", { vendorDir: join(tmp, "v11"), indexUrl })).rejects.toThrow(/not found/);
  });
});

describe("version and name helpers", () => {
  it("orders versions numerically with pre-releases first", () => {
    expect(compareVersions("1.10.0", "1.9.0")).toBeGreaterThan(0);
    expect(compareVersions("2.0.0rc1", "2.0.0")).toBeLessThan(0);
    expect(compareVersions("1.0", "1.0.0")).toBe(0);
  });
  it("parses requirements and wheel names", () => {
    expect(parseRequirement("attrs[tests] == 23.2.0")).toEqual({ name: "attrs", version: "23.2.0" });
    expect(parseWheelName("six-1.16.0-py2.py3-none-any.whl")).toEqual({ name: "six", version: "1.16.0", python: "py2.py3", abi: "none", platform: "any" });
  });
});
