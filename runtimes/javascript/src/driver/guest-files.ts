/**
 * The host side of the guest's file helpers (`readText`, `writeText`, `fileExists`,
 * `listFiles`, `copyFile`, `removeFile`) and of the module loader, over the run's
 * VirtualFs. Every path is resolved inside the virtual tree — `/app` read-write, the
 * read-only mounts, nothing else — so no guest string can name a host file.
 */
import type { VirtualFs } from "@llm-wasm-sandbox/wasi-host";

const WORKSPACE = "/app";
const INTERNAL = ".llm-sandbox";
const decoder = new TextDecoder("utf-8", { fatal: false });
const encoder = new TextEncoder();

/** A failed file operation, shaped like Node's fs errors (`code`, `syscall`, `path`). */
export class GuestFileError extends Error {
  readonly code: string;
  readonly syscall: string;
  readonly path: string;

  constructor(code: string, syscall: string, path: string, detail: string) {
    super(`${code}: ${detail}, ${syscall} '${path}'`);
    this.name = "Error";
    this.code = code;
    this.syscall = syscall;
    this.path = path;
  }
}

const ERRNO: Record<string, [code: string, text: string]> = {
  noent: ["ENOENT", "no such file or directory"],
  acces: ["EACCES", "permission denied (only /app is writable)"],
  rofs: ["EROFS", "read-only file system (only /app is writable)"],
  isdir: ["EISDIR", "illegal operation on a directory"],
  notdir: ["ENOTDIR", "not a directory"],
  exist: ["EEXIST", "file already exists"],
  notempty: ["ENOTEMPTY", "directory not empty"],
  nospc: ["ENOSPC", "no space left in the workspace"],
  fbig: ["EFBIG", "file too large"],
  nametoolong: ["ENAMETOOLONG", "name too long"],
  loop: ["ELOOP", "too many symbolic links"],
  busy: ["EBUSY", "resource busy"],
  inval: ["EINVAL", "invalid argument"],
  perm: ["EPERM", "operation not permitted"],
};

/** Absolute guest path: relative paths are taken from /app, the guest's working directory. */
export function absolutePath(path: string): string {
  return path.startsWith("/") ? path : `${WORKSPACE}/${path}`;
}

/** File operations for one run. */
export class GuestFiles {
  /**
   * @param fs The run's virtual filesystem.
   * @param maxReadBytes Largest file a helper reads whole: the guest could not hold a
   *   bigger one anyway, and reading it would cost host memory outside the cap.
   */
  constructor(
    private readonly fs: VirtualFs,
    private readonly maxReadBytes = Number.MAX_SAFE_INTEGER,
  ) {}

  /** Whole file as bytes. */
  readBytes(path: string, syscall = "open"): Uint8Array {
    const abs = absolutePath(path);
    return this.guard(syscall, path, () => {
      const f = this.fs.open(abs, { read: true });
      if (f.kind === "directory") throw vfsLike("isdir");
      try {
        if (f.inode.size > this.maxReadBytes) {
          throw new GuestFileError("EFBIG", syscall, path, `file too large to load into the sandbox's memory (${f.inode.size} bytes)`);
        }
        const buf = new Uint8Array(f.inode.size);
        let off = 0;
        while (off < buf.length) {
          const n = f.pread(buf.subarray(off), off);
          if (n === 0) break;
          off += n;
        }
        return off === buf.length ? buf : buf.subarray(0, off);
      } finally {
        // An open description keeps an unlinked file's bytes counted: end it now.
        f.close();
      }
    });
  }

  /** Whole file as UTF-8 text. */
  readText(path: string): string {
    return decoder.decode(this.readBytes(path));
  }

  /** Creates or replaces a file (and its missing parent directories under /app). */
  writeBytes(path: string, data: Uint8Array): void {
    const abs = absolutePath(path);
    this.guard("open", path, () => {
      this.mkdirParents(abs);
      const f = this.fs.open(abs, { write: true, create: true, truncate: true });
      if (f.kind === "directory") throw vfsLike("isdir");
      try {
        if (data.length > 0) f.pwrite(data, 0);
      } finally {
        f.close();
      }
    });
  }

  /** Creates or replaces a text file. */
  writeText(path: string, text: string): void {
    this.writeBytes(path, encoder.encode(text));
  }

  /** True when the path names an existing file or directory. */
  exists(path: string): boolean {
    try {
      this.fs.stat(absolutePath(path));
      return true;
    } catch (e) {
      if (isVfsError(e)) return false;
      throw e;
    }
  }

  /** True when the path names an existing regular file. */
  isFile(path: string): boolean {
    try {
      return this.fs.stat(absolutePath(path)).kind === "file";
    } catch (e) {
      if (isVfsError(e)) return false;
      throw e;
    }
  }

  /**
   * Entry names of a directory, sorted (directories end with `/`); with `recursive`,
   * the relative paths of every file below it. The sandbox's own `/app/.llm-sandbox`
   * is left out.
   */
  list(dir: string, recursive: boolean): string[] {
    const abs = absolutePath(dir).replace(/\/+$/, "") || "/";
    return this.guard("scandir", dir, () => {
      const out: string[] = [];
      this.walk(abs, "", recursive, out);
      return out.sort();
    });
  }

  /** Copies a file's bytes to a new or existing file. */
  copy(src: string, dst: string): void {
    this.writeBytes(dst, this.readBytes(src, "copyfile"));
  }

  /** Deletes a file (not a directory). */
  remove(path: string): void {
    const abs = absolutePath(path);
    this.guard("unlink", path, () => this.fs.unlink(abs));
  }

  private walk(abs: string, rel: string, recursive: boolean, out: string[]): void {
    const dir = this.fs.open(abs, { read: true, directory: true });
    if (dir.kind !== "directory") throw vfsLike("notdir");
    for (const { name, inode } of this.fs.readdir(dir)) {
      if (abs === WORKSPACE && name === INTERNAL) continue;
      const childRel = rel === "" ? name : `${rel}/${name}`;
      if (inode.kind === "directory") {
        if (recursive) this.walk(`${abs === "/" ? "" : abs}/${name}`, childRel, true, out);
        else out.push(`${name}/`);
      } else out.push(recursive ? childRel : name);
    }
  }

  private mkdirParents(abs: string): void {
    if (!abs.startsWith(`${WORKSPACE}/`)) return;
    const parts = abs.slice(WORKSPACE.length + 1).split("/").slice(0, -1);
    let cur = WORKSPACE;
    for (const p of parts) {
      if (p === "" || p === ".") continue;
      cur = `${cur}/${p}`;
      if (p === ".." || this.exists(cur)) continue;
      this.fs.mkdir(cur);
    }
  }

  private guard<T>(syscall: string, path: string, op: () => T): T {
    try {
      return op();
    } catch (e) {
      if (!isVfsError(e)) throw e;
      const [code, text] = ERRNO[e.errno] ?? [`E${e.errno.toUpperCase()}`, e.errno];
      throw new GuestFileError(code, syscall, path, text);
    }
  }
}

interface VfsErrorLike {
  readonly errno: string;
}

/** VfsError from any copy of wasi-host (the worker may load it from dist/, tests from src/). */
function isVfsError(e: unknown): e is Error & VfsErrorLike {
  return e instanceof Error && e.name === "VfsError" && typeof (e as Partial<VfsErrorLike>).errno === "string";
}

function vfsLike(errno: string): Error & VfsErrorLike {
  return Object.assign(new Error(errno), { name: "VfsError", errno });
}
