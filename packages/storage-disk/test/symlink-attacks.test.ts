import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileNotFoundError, SessionNotFoundError, StorageError } from "@llm-wasm-sandbox/core";
import { commitJournal, testSessionMetadata } from "@llm-wasm-sandbox/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DiskStorage, diskStorage } from "../src/index.js";

const enc = new TextEncoder();
let tmp: string;
let secretDir: string;
let secret: string;
let s: DiskStorage;
let files: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "llm-sandbox-symlink-"));
  secretDir = join(tmp, "outside");
  await mkdir(secretDir);
  secret = join(secretDir, "secret.txt");
  await writeFile(secret, "TOP SECRET");
  s = diskStorage({ workspaceRoot: join(tmp, "root") });
  await s.createSession(testSessionMetadata("victim"));
  files = s.filesDir("victim");
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("disk storage never follows planted links or special files", () => {
  it("rejects reading a planted symlink to a secret outside the root", async () => {
    await symlink(secret, join(files, "link.txt"));
    await expect(s.readFile("victim", "link.txt")).rejects.toSatisfy(FileNotFoundError.isInstance);
    expect((await s.listFiles("victim")).map((e) => e.path)).not.toContain("link.txt");
  });

  it("does not read through a planted symlinked directory", async () => {
    await symlink(secretDir, join(files, "dirlink"));
    await expect(s.readFile("victim", "dirlink/secret.txt")).rejects.toSatisfy(FileNotFoundError.isInstance);
    expect(await s.listFiles("victim")).toEqual([]);
    expect(await s.sizeOf("victim")).toBe(0);
  });

  it("writing over a planted symlink replaces the link, never the target", async () => {
    await symlink(secret, join(files, "link.txt"));
    await s.writeFile("victim", "link.txt", enc.encode("overwritten"));
    expect(await readFile(secret, "utf8")).toBe("TOP SECRET");
    expect(new TextDecoder().decode(await s.readFile("victim", "link.txt"))).toBe("overwritten");
  });

  it("writing below a planted symlinked directory never creates files outside the root", async () => {
    await symlink(secretDir, join(files, "dirlink"));
    await commitJournal(s, "victim", { entries: [{ op: "write", path: "dirlink/planted.txt", data: enc.encode("x") }] });
    expect(await readdir(secretDir)).toEqual(["secret.txt"]);
    expect((await s.listFiles("victim")).map((e) => e.path)).toEqual(["dirlink", "dirlink/planted.txt"]);
  });

  it("deleting a planted symlinked directory leaves its target intact", async () => {
    await s.writeFile("victim", "keep.txt", enc.encode("k"));
    await symlink(secretDir, join(files, "dirlink"));
    await commitJournal(s, "victim", { entries: [{ op: "delete", path: "dirlink/secret.txt" }, { op: "delete", path: "keep.txt" }] });
    expect(await readFile(secret, "utf8")).toBe("TOP SECRET");
  });

  it("a planted symlink, fifo or directory at the session's intent slot is never written through: the commit fails, nothing changes", async () => {
    const slot = join(files, "..", ".intent");
    await s.writeFile("victim", "keep.txt", enc.encode("kept"));
    await rm(slot);
    for (const plant of ["symlink", "fifo", "directory"] as const) {
      if (plant === "symlink") await symlink(secret, slot);
      else if (plant === "fifo") execFileSync("mkfifo", [slot]);
      else await mkdir(slot);
      await expect(s.writeFile("victim", "keep.txt", enc.encode("overwritten"))).rejects.toSatisfy(StorageError.isInstance);
      expect(await readFile(secret, "utf8")).toBe("TOP SECRET");
      expect(new TextDecoder().decode(await s.readFile("victim", "keep.txt"))).toBe("kept");
      expect(await readdir(join(files, ".."))).not.toContain(".commit");
      await rm(slot, { recursive: true });
    }
  });

  it("skips a planted fifo instead of blocking on it", async () => {
    execFileSync("mkfifo", [join(files, "pipe")]);
    expect(await s.listFiles("victim")).toEqual([]);
    await expect(s.readFile("victim", "pipe")).rejects.toSatisfy(FileNotFoundError.isInstance);
  });

  it("ignores a session directory that is a symlink", async () => {
    const fake = join(tmp, "fake-session");
    await mkdir(join(fake, "files"), { recursive: true });
    await writeFile(join(fake, "session.json"), JSON.stringify(testSessionMetadata("evil")));
    await writeFile(join(fake, "files", "loot.txt"), "loot");
    await symlink(fake, join(s.root, "evil"));
    expect(await s.getSession("evil")).toBeNull();
    await expect(s.readFile("evil", "loot.txt")).rejects.toSatisfy(SessionNotFoundError.isInstance);
    expect((await s.listSessions()).map((m) => m.sessionId)).toEqual(["victim"]);
  });

  it("refuses a session whose files directory was replaced by a symlink", async () => {
    await rm(files, { recursive: true });
    await symlink(secretDir, files);
    await expect(s.readFile("victim", "secret.txt")).rejects.toSatisfy(StorageError.isInstance);
    await expect(s.listFiles("victim")).rejects.toSatisfy(StorageError.isInstance);
  });

  it("ignores a session.json that is a symlink to a secret", async () => {
    await s.createSession(testSessionMetadata("meta-link"));
    const metaPath = join(s.root, "meta-link", "session.json");
    await rm(metaPath);
    await symlink(secret, metaPath);
    expect(await s.getSession("meta-link")).toBeNull();
  });

  it("a run's snapshot never reads through a session.json symlink nor blocks on a session.json fifo", async () => {
    await s.createSession(testSessionMetadata("meta-link"));
    await s.createSession(testSessionMetadata("meta-fifo"));
    const link = join(s.root, "meta-link", "session.json");
    await rm(link);
    await symlink(secret, link);
    const fifo = join(s.root, "meta-fifo", "session.json");
    await rm(fifo);
    execFileSync("mkfifo", [fifo]);
    await expect(s.snapshot("meta-link")).rejects.toSatisfy(SessionNotFoundError.isInstance);
    await expect(s.snapshot("meta-fifo")).rejects.toSatisfy(SessionNotFoundError.isInstance);
  });

  it("getSession finds no session behind a session.json that is a fifo (never blocking on it) or a directory", async () => {
    await s.createSession(testSessionMetadata("meta-fifo"));
    await s.createSession(testSessionMetadata("meta-dir"));
    const fifo = join(s.root, "meta-fifo", "session.json");
    await rm(fifo);
    execFileSync("mkfifo", [fifo]);
    const dir = join(s.root, "meta-dir", "session.json");
    await rm(dir);
    await mkdir(dir);
    expect([await s.getSession("meta-fifo"), await s.getSession("meta-dir")]).toEqual([null, null]);
  });
});

describe("disk session creation", () => {
  it("refuses to create a session through a planted symlink at its directory", async () => {
    await symlink(secretDir, join(s.root, "planted"));
    await expect(s.createSession(testSessionMetadata("planted"))).rejects.toSatisfy(StorageError.isInstance);
    expect(await readdir(secretDir)).toEqual(["secret.txt"]);
  });
});

describe("disk damaged metadata", () => {
  it("reports a corrupt session.json as a StorageError and lists the session as damaged (so pruning can remove it)", async () => {
    await s.createSession(testSessionMetadata("broken"));
    await writeFile(join(s.root, "broken", "session.json"), "{ not json");
    await expect(s.getSession("broken")).rejects.toSatisfy(StorageError.isInstance);
    expect((await s.listSessions()).map((m) => [m.sessionId, m.damaged === undefined ? "ok" : "damaged"])).toEqual([
      ["broken", "damaged"],
      ["victim", "ok"],
    ]);
  });
});
