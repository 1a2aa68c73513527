import { StorageQuotaError } from "@llm-wasm-sandbox/core";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { memoryStorage } from "../src/index.js";

describe("memoryStorage", () => {
  it("rejects a commit past quotaBytes with StorageQuotaError and applies none of it", async () => {
    const s = memoryStorage({ quotaBytes: 100 });
    await s.createSession(testSessionMetadata("q"));
    await s.writeFile("q", "a.bin", new Uint8Array(60));
    await expect(
      commitJournal(s, "q", {
        entries: [
          { op: "delete", path: "a.bin" },
          { op: "write", path: "b.bin", data: new Uint8Array(30) },
          { op: "write", path: "c.bin", data: new Uint8Array(80) },
        ],
      }),
    ).rejects.toSatisfy(StorageQuotaError.isInstance);
    expect((await s.listFiles("q")).map((e) => e.path)).toEqual(["a.bin"]);
    expect(await s.sizeOf("q")).toBe(60);
    // Replacing a file counts only the difference: 60 → 90 bytes fits.
    await s.writeFile("q", "a.bin", new Uint8Array(90));
    expect(await s.sizeOf("q")).toBe(90);
  });

  it("counts the quota across sessions", async () => {
    const s = memoryStorage({ quotaBytes: 10 });
    await s.createSession(testSessionMetadata("one"));
    await s.createSession(testSessionMetadata("two"));
    await s.writeFile("one", "x", new Uint8Array(8));
    await expect(s.writeFile("two", "y", new Uint8Array(3))).rejects.toSatisfy(StorageQuotaError.isInstance);
    expect(await s.listFiles("two")).toEqual([]);
  });

  it("enforces maxSessionBytes and maxSessionFiles on host-side writes too", async () => {
    const s = memoryStorage({ maxSessionBytes: 10, maxSessionFiles: 2 });
    await s.createSession(testSessionMetadata("per"));
    await s.writeFile("per", "a", new Uint8Array(6));
    await expect(s.writeFile("per", "b", new Uint8Array(6))).rejects.toSatisfy(StorageQuotaError.isInstance);
    await s.writeFile("per", "b", new Uint8Array(4));
    await expect(s.writeFile("per", "c", new Uint8Array(0))).rejects.toSatisfy((e: unknown) => StorageQuotaError.isInstance(e) && e.unit === "files");
    expect(await s.getSession("per")).toMatchObject({ sizeBytes: 10, fileCount: 2 });
  });

  it("never aliases stored bytes with caller buffers", async () => {
    const s = memoryStorage();
    await s.createSession(testSessionMetadata("alias"));
    const data = new Uint8Array([1, 2, 3]);
    await s.writeFile("alias", "f", data);
    data[0] = 99;
    const read = await s.readFile("alias", "f");
    read[1] = 99;
    expect(Array.from(await s.readFile("alias", "f"))).toEqual([1, 2, 3]);
  });

  it("is disposable with Symbol.asyncDispose", async () => {
    const s = memoryStorage();
    expect(typeof s[Symbol.asyncDispose]).toBe("function");
    await expect(s[Symbol.asyncDispose]()).resolves.toBeUndefined();
  });
});
