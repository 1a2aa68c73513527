import { execFileSync } from "node:child_process";
import * as nodeFs from "node:fs";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HostFileError } from "@llm-wasm-sandbox/core";
import { afterAll, describe, expect, it } from "vitest";
import { readHostFile, readHostFileSync, type ReadHostFileOptions, type SyncFileApi } from "./read-host-file.js";

const tmp = mkdtempSync(join(tmpdir(), "host-files-"));
const regular = join(tmp, "hello.txt");
writeFileSync(regular, "hello");
const secret = join(tmp, "secret.txt");
writeFileSync(secret, "TOP-SECRET", { mode: 0o600 });
const link = join(tmp, "link.txt");
symlinkSync(secret, link);
const linkToZero = join(tmp, "zero-link");
symlinkSync("/dev/zero", linkToZero);
const dir = join(tmp, "dir");
mkdirSync(dir);
const fifo = join(tmp, "fifo");
execFileSync("mkfifo", [fifo]);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Both variants, so every attack is tried on the async and the sync read. */
const variants: Array<[string, (path: string, options: ReadHostFileOptions) => Promise<Uint8Array>]> = [
  ["readHostFile", readHostFile],
  ["readHostFileSync", async (p, o) => readHostFileSync(p, o)],
];

async function refusal(read: Promise<Uint8Array>): Promise<HostFileError> {
  const e = await read.then(
    () => null,
    (err: unknown) => err,
  );
  if (!HostFileError.isInstance(e)) throw new Error(`expected a HostFileError, got ${String(e)}`);
  expect(e.message.includes("\n")).toBe(false);
  return e;
}

describe.each(variants)("%s", (_name, read) => {
  it("reads a regular file", async () => {
    expect(text(await read(regular, { maxBytes: 5 }))).toBe("hello");
  });

  it("refuses a FIFO without waiting for a writer (a blocking open would hang the thread for good)", async () => {
    const e = await refusal(read(fifo, { maxBytes: 1024, label: "program file" }));
    expect(e.problem).toBe("not-regular");
    expect(e.message).toContain("program file");
    expect(e.message).toContain("FIFO");
  });

  it("refuses /dev/zero instead of reading without end", async () => {
    const e = await refusal(read("/dev/zero", { maxBytes: 10 * 1024 * 1024 }));
    expect(e.problem).toBe("not-regular");
    expect(e.message).toContain("character device");
  });

  it("refuses a directory with one line, not a stack trace", async () => {
    const e = await refusal(read(dir, { maxBytes: 1024 }));
    expect(e.problem).toBe("not-regular");
    expect(e.message).toContain("a directory");
  });

  it("refuses a symlink to a secret unless told to follow symlinks", async () => {
    const e = await refusal(read(link, { maxBytes: 1024 }));
    expect(e.problem).toBe("symlink");
    expect(e.message).not.toContain("TOP-SECRET");
    expect(text(await read(link, { maxBytes: 1024, followSymlinks: true }))).toBe("TOP-SECRET");
  });

  it("refuses a followed symlink that ends at a device", async () => {
    const e = await refusal(read(linkToZero, { maxBytes: 1024, followSymlinks: true }));
    expect(e.problem).toBe("not-regular");
  });

  it("refuses a file over the cap from fstat, before reading it", async () => {
    const e = await refusal(read(regular, { maxBytes: 4 }));
    expect(e.problem).toBe("too-large");
    expect(e.message).toContain("5 bytes, over the 4-byte limit");
  });

  it("says not-found for a missing file", async () => {
    expect((await refusal(read(join(tmp, "nope"), { maxBytes: 4 }))).problem).toBe("not-found");
    expect((await refusal(read(join(regular, "below"), { maxBytes: 4 }))).problem).toBe("not-found");
  });
});

describe("readHostFileSync on a file that grows while it is read", () => {
  it("reads at most maxBytes + 1 bytes, then refuses it (a regular file cannot make it read without end)", () => {
    let requested = 0;
    let closed = 0;
    // A file whose fstat says 10 bytes but whose reads never end (like a file another
    // process keeps appending to).
    const endless: SyncFileApi = {
      openSync: () => 99,
      fstatSync: () => ({ ...nodeFs.fstatSync(0), isFile: () => true, size: 10 }),
      readSync: (_fd, buf, off, len) => {
        requested += len;
        buf.fill(7, off, off + len);
        return len;
      },
      closeSync: () => void closed++,
    };
    const max = 1024 * 1024;
    let error: unknown;
    try {
      readHostFileSync("/growing", { maxBytes: max }, endless);
    } catch (e) {
      error = e;
    }
    expect(HostFileError.isInstance(error) && error.problem).toBe("too-large");
    expect(requested).toBeLessThanOrEqual(max + 1);
    expect(closed).toBe(1);
  });
});
