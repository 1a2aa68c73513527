import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { strToU8, zipSync } from "fflate";

/** Builds a tiny pure-Python wheel in memory. */
export function buildWheel(name: string, version: string, moduleSource: string): { filename: string; bytes: Uint8Array } {
  const dist = `${name}-${version}.dist-info`;
  const files: Record<string, Uint8Array> = {
    [`${name}/__init__.py`]: strToU8(moduleSource),
    [`${dist}/METADATA`]: strToU8(`Metadata-Version: 2.1\nName: ${name.replaceAll("_", "-")}\nVersion: ${version}\n`),
    [`${dist}/WHEEL`]: strToU8("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
  };
  const record = Object.entries(files)
    .map(([p, d]) => `${p},sha256=${createHash("sha256").update(d).digest("base64url")},${d.byteLength}`)
    .join("\n");
  files[`${dist}/RECORD`] = strToU8(`${record}\n${dist}/RECORD,,\n`);
  return { filename: `${name}-${version}-py3-none-any.whl`, bytes: zipSync(files) };
}

/** Serves a PEP 503 simple index with the given wheels on 127.0.0.1. */
export async function servePackageIndex(wheels: Array<{ project: string; filename: string; bytes: Uint8Array }>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    for (const w of wheels) {
      if (path === `/simple/${w.project}/`) {
        const sha = createHash("sha256").update(w.bytes).digest("hex");
        res.writeHead(200, { "Content-Type": "text/html" }).end(`<html><body><a href="/files/${w.filename}#sha256=${sha}">${w.filename}</a></body></html>`);
        return;
      }
      if (path === `/files/${w.filename}`) {
        res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(Buffer.from(w.bytes));
        return;
      }
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/simple/`, close: () => new Promise((r) => server.close(() => r())) };
}
