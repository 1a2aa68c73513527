import { createVirtualFs } from "@llm-wasm-sandbox/wasi-host";
import { describe, expect, it } from "vitest";
import { GuestFileError, GuestFiles } from "./guest-files.js";

const enc = new TextEncoder();

function setup() {
  const fs = createVirtualFs({
    workspace: { entries: [{ path: "in.txt", type: "file", size: 5, mtimeMs: 0 }], load: () => enc.encode("hello") },
    seedFiles: { "user_code.js": enc.encode("x") },
    mounts: [{ guestPath: "/data_js", files: { "csv.js": enc.encode("export {}") } }],
  });
  return { fs, files: new GuestFiles(fs) };
}

describe("guest file helpers", () => {
  it("reads workspace files by absolute and relative path", () => {
    const { files } = setup();
    expect(files.readText("/app/in.txt")).toBe("hello");
    expect(files.readText("in.txt")).toBe("hello");
  });

  it("writes files, creating parent directories, and journals them", () => {
    const { fs, files } = setup();
    files.writeText("/app/out/deep/x.txt", "data");
    expect(files.readText("/app/out/deep/x.txt")).toBe("data");
    expect(fs.journal().entries.map((e) => `${e.op}:${e.path}`)).toEqual(["mkdir:out", "mkdir:out/deep", "write:out/deep/x.txt"]);
  });

  it("cannot read /etc/passwd, even through ..", () => {
    const { files } = setup();
    for (const p of ["/etc/passwd", "/app/../../etc/passwd", "../../../etc/passwd"]) {
      expect(() => files.readText(p)).toThrow(GuestFileError);
      expect(() => files.readText(p)).toThrow(/ENOENT/);
    }
  });

  it("refuses writes outside /app", () => {
    const { files } = setup();
    expect(() => files.writeText("/evil", "x")).toThrow(/EACCES/);
    expect(() => files.writeText("/etc/evil", "x")).toThrow(/ENOENT/);
    expect(() => files.writeText("/data_js/csv.js", "x")).toThrow(/EROFS/);
    expect(() => files.remove("/data_js/csv.js")).toThrow(/EROFS/);
  });

  it("lists directories sorted, hiding the sandbox's internal directory", () => {
    const { files } = setup();
    files.writeText("/app/.llm-sandbox/javascript_state.json", "{}");
    files.writeText("/app/sub/a.txt", "a");
    expect(files.list("/app", false)).toEqual(["in.txt", "sub/", "user_code.js"]);
    expect(files.list("/app", true)).toEqual(["in.txt", "sub/a.txt", "user_code.js"]);
    expect(files.list("/data_js", false)).toEqual(["csv.js"]);
  });

  it("copies and removes files; errors carry Node-style codes", () => {
    const { files } = setup();
    files.copy("in.txt", "copy.txt");
    expect(files.readText("copy.txt")).toBe("hello");
    files.remove("copy.txt");
    expect(files.exists("copy.txt")).toBe(false);
    try {
      files.remove("copy.txt");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GuestFileError);
      expect((e as GuestFileError).code).toBe("ENOENT");
      expect((e as GuestFileError).message).toBe("ENOENT: no such file or directory, unlink 'copy.txt'");
    }
  });

  it("refuses to read a file larger than the guest's memory into the host", () => {
    let loaded = false;
    const load = () => {
      loaded = true;
      return new Uint8Array(2048);
    };
    const fs = createVirtualFs({ workspace: { entries: [{ path: "big.bin", type: "file", size: 2048, mtimeMs: 0 }], load } });
    const files = new GuestFiles(fs, 1024);
    expect(() => files.readText("big.bin")).toThrow(/EFBIG: file too large/);
    expect(loaded).toBe(false);
  });

  it("reports a directory read as EISDIR", () => {
    const { files } = setup();
    expect(() => files.readText("/app")).toThrow(/EISDIR/);
    expect(files.isFile("/app")).toBe(false);
    expect(files.exists("/app")).toBe(true);
  });
});
