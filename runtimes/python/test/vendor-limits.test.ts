/**
 * Package downloads are bounded (issue 22.4): an index on 127.0.0.1 serves an 800 MB
 * "wheel", an 800 MB index page (declared, or streamed without a Content-Length), a
 * package whose requirements never end, and an answer that never comes. Each ends in a
 * typed VendorError, and host memory grows far less than what the index sends.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VendorError, vendorAdd, vendorList, type VendorProblem } from "../src/index.js";
import { buildWheel, wheelName } from "./wheel-builder.js";

const MiB = 1024 * 1024;
const ATTACK_BYTES = 800 * MiB;

/** Streams `total` bytes of `fill` with backpressure; stops when the client goes away. */
function stream(res: ServerResponse, total: number, fill: string): void {
  const chunk = Buffer.alloc(64 * 1024, fill);
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    res.end();
  };
  res.on("close", () => (sent = total));
  pump();
}

const page = (...files: string[]): string => `<html><body>${files.map((f) => `<a href="/files/${f}">${f}</a>`).join("")}</body></html>`;

let tmp: string;
let server: Server;
let index: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "py-vendor-limits-"));
  const depWheels = new Map<string, Uint8Array>();
  const deps = Array.from({ length: 200 }, (_, i) => `dep${i}`);
  for (const d of deps) depWheels.set(wheelName(d, "1.0"), buildWheel(d, "1.0", { [`${d}/__init__.py`]: "" }));
  const root = buildWheel("root", "1.0", { "root/__init__.py": "" }, { requires: deps });
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const simple = /^\/simple\/([^/]+)\/$/.exec(path)?.[1];
    if (simple === "declared-page") return void res.writeHead(200, { "Content-Type": "text/html", "Content-Length": ATTACK_BYTES }).end();
    if (simple === "endless-page") return stream(res.writeHead(200, { "Content-Type": "text/html" }), ATTACK_BYTES, "<");
    if (simple === "declared-wheel") return void res.writeHead(200, { "Content-Type": "text/html" }).end(page(wheelName("declared_wheel", "1.0")));
    if (simple === "endless-wheel") return void res.writeHead(200, { "Content-Type": "text/html" }).end(page(wheelName("endless_wheel", "1.0")));
    if (simple === "silent") return; // accepts, never answers
    if (simple === "root") return void res.writeHead(200, { "Content-Type": "text/html" }).end(page(wheelName("root", "1.0")));
    if (simple !== undefined && depWheels.has(wheelName(simple, "1.0"))) return void res.writeHead(200, { "Content-Type": "text/html" }).end(page(wheelName(simple, "1.0")));
    const file = /^\/files\/(.+)$/.exec(path)?.[1] ?? "";
    if (file === wheelName("declared_wheel", "1.0")) return stream(res.writeHead(200, { "Content-Length": ATTACK_BYTES }), ATTACK_BYTES, "P");
    if (file === wheelName("endless_wheel", "1.0")) return stream(res.writeHead(200), ATTACK_BYTES, "P");
    if (file === wheelName("root", "1.0")) return void res.writeHead(200).end(Buffer.from(root));
    const dep = depWheels.get(file);
    if (dep) return void res.writeHead(200).end(Buffer.from(dep));
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  index = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(tmp, { recursive: true, force: true });
});

/** Runs `fn`, sampling RSS; returns the VendorError it threw and the peak RSS growth. */
async function attack(fn: () => Promise<unknown>): Promise<{ error: VendorError; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const outcome = await fn().then(
    () => null,
    (e: unknown) => e,
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (process.env.ATTACK_DEBUG) console.log("rss growth MiB", (peak - before) / MiB);
  if (!VendorError.isInstance(outcome)) throw new Error(`expected a VendorError, got ${String(outcome)}`);
  return { error: outcome, growth: peak - before };
}

const problem = (e: VendorError): VendorProblem => e.problem;

describe("downloads from the package index are capped", () => {
  it("refuses an index page that declares 800 MB before reading it", async () => {
    const { error, growth } = await attack(() => vendorAdd("declared-page", { vendorDir: join(tmp, "a"), indexUrl: index }));
    expect(problem(error)).toBe("too-large");
    expect(error.message).toContain(`${ATTACK_BYTES} bytes, over the`);
    expect(growth).toBeLessThan(100 * MiB);
  });

  it("stops reading an index page streamed without a Content-Length at the cap (no 'Cannot create a string longer than')", async () => {
    const { error, growth } = await attack(() => vendorAdd("endless-page", { vendorDir: join(tmp, "b"), indexUrl: index }));
    expect(problem(error)).toBe("too-large");
    expect(error.message).toContain("the download was stopped there");
    expect(growth).toBeLessThan(ATTACK_BYTES / 3);
  });

  it("refuses a wheel that declares 800 MB, and stops one streamed without a length at the wheel cap", async () => {
    const declared = await attack(() => vendorAdd("declared-wheel", { vendorDir: join(tmp, "c"), indexUrl: index }));
    expect(problem(declared.error)).toBe("too-large");
    expect(declared.growth).toBeLessThan(100 * MiB);
    const endless = await attack(() => vendorAdd("endless-wheel", { vendorDir: join(tmp, "c"), indexUrl: index }));
    expect(problem(endless.error)).toBe("too-large");
    expect(endless.growth).toBeLessThan(ATTACK_BYTES / 3);
    expect(await vendorList({ vendorDir: join(tmp, "c") })).toEqual([]);
  });

  it("caps the number of packages one install brings in (a package requiring 200 others)", async () => {
    const dir = join(tmp, "d");
    const { error } = await attack(() => vendorAdd("root", { vendorDir: dir, indexUrl: index, maxPackages: 10 }));
    expect(problem(error)).toBe("too-many-packages");
    expect(error.message).toContain("more than 10 packages");
    expect((await vendorList({ vendorDir: dir })).length).toBeLessThanOrEqual(10);
  });

  it("gives up on an index that never answers, with a typed error", async () => {
    const { error } = await attack(() => vendorAdd("silent", { vendorDir: join(tmp, "e"), indexUrl: index, requestTimeoutMs: 300 }));
    expect(problem(error)).toBe("unreachable");
  });
});

describe("local wheels and directories are read bounded", () => {
  it("refuses a wheel file over the wheel cap from its size, and a .whl that is a FIFO or /dev/zero", async () => {
    const big = join(tmp, wheelName("big", "1.0"));
    await writeFile(big, "");
    await truncate(big, 2 * MiB);
    const { error } = await attack(() => vendorAdd(big, { vendorDir: join(tmp, "f"), maxWheelBytes: MiB }));
    expect(problem(error)).toBe("too-large");
    const fifo = join(tmp, wheelName("fifo", "1.0"));
    execFileSync("mkfifo", [fifo]);
    expect(problem((await attack(() => vendorAdd(fifo, { vendorDir: join(tmp, "f") }))).error)).toBe("invalid");
    const zero = join(tmp, wheelName("zero", "1.0"));
    await symlink("/dev/zero", zero);
    expect((await attack(() => vendorAdd(zero, { vendorDir: join(tmp, "f") }))).error.message).toMatch(/neither a regular file nor a directory/);
  });
});
