/**
 * Reading a host file that a user (or a client, or an LLM) named: a program file, a
 * policy TOML, an external file, a wheel, a file under a mounted data directory.
 *
 * Checking a path and then reading it by path is a race: between the two, anyone who
 * can write the directory may swap the file for a symlink to a secret, a FIFO (the read
 * blocks forever, and a blocked thread cannot be terminated), `/dev/zero` (the read never
 * ends) or a much larger file. So every check here is made on the open descriptor that
 * is then read, and nothing is done by path after the open:
 *
 * 1. open once, `O_NONBLOCK` (opening a FIFO with no writer returns at once instead of
 *    waiting for one) and `O_NOCTTY`, plus `O_NOFOLLOW` unless the caller follows
 *    symlinks (then a symlink to a regular file is fine; to anything else it is not);
 * 2. `fstat` that descriptor and refuse anything but a regular file (directories,
 *    FIFOs, sockets, devices), and refuse it when it is already over the cap;
 * 3. read at most `maxBytes + 1` bytes, so a file that grows while it is read is caught
 *    without ever holding more than the cap.
 *
 * Failures are `HostFileError`s with a one-line message and a stable `problem`.
 */
import * as nodeFs from "node:fs";
import * as fsp from "node:fs/promises";
import { HostFileError, type HostFileProblem } from "@llm-wasm-sandbox/core/errors";

/** Options of `readHostFile` / `readHostFileSync`. */
export interface ReadHostFileOptions {
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** What the file is, for error messages ("program file", "policy file", …). Default "file". */
  readonly label?: string;
  /**
   * Follow a symlink in the last path component (default false: a symlink is refused).
   * Either way only a regular file is read.
   */
  readonly followSymlinks?: boolean;
}

/** What the checks need from an fstat result (node's `Stats` has it). */
export type HostFileStat = Pick<nodeFs.Stats, "isFile" | "isDirectory" | "isFIFO" | "isSocket" | "isCharacterDevice" | "isBlockDevice" | "size">;

/** The synchronous node:fs calls `readHostFileSync` makes (injectable so tests can audit them). */
export interface SyncFileApi {
  openSync(path: string, flags: number): number;
  fstatSync(fd: number): HostFileStat;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

const { O_RDONLY, O_NONBLOCK = 0, O_NOCTTY = 0, O_NOFOLLOW = 0 } = nodeFs.constants;

/** The open(2) flags of a host-file read. */
export function hostFileOpenFlags(followSymlinks = false): number {
  return O_RDONLY | O_NONBLOCK | O_NOCTTY | (followSymlinks ? 0 : O_NOFOLLOW);
}

/**
 * Reads a regular host file of at most `maxBytes` bytes (see the module doc for how).
 * @throws HostFileError (`not-found`, `symlink`, `not-regular`, `too-large`, `unreadable`).
 */
export async function readHostFile(path: string, options: ReadHostFileOptions): Promise<Uint8Array> {
  const max = checkedMax(options.maxBytes);
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, hostFileOpenFlags(options.followSymlinks));
  } catch (e) {
    throw openError(path, options, e);
  }
  try {
    const st = await handle.stat().catch((e: unknown) => {
      throw ioError(path, options, e);
    });
    const buf = new Growable(checkRegular(path, options, st, max), max);
    for (;;) {
      const { bytesRead } = await handle.read(buf.bytes, buf.length, buf.room(), buf.length).catch((e: unknown) => {
        throw ioError(path, options, e);
      });
      if (bytesRead === 0) return buf.done(path, options);
      buf.advance(bytesRead, path, options);
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Synchronous `readHostFile`, for worker threads serving a guest's blocking syscall.
 * @param fs The node:fs calls to use (default node:fs itself).
 * @throws HostFileError as `readHostFile`.
 */
export function readHostFileSync(path: string, options: ReadHostFileOptions, fs: SyncFileApi = nodeFs): Uint8Array {
  const max = checkedMax(options.maxBytes);
  let fd: number;
  try {
    fd = fs.openSync(path, hostFileOpenFlags(options.followSymlinks));
  } catch (e) {
    throw openError(path, options, e);
  }
  try {
    let st: HostFileStat;
    try {
      st = fs.fstatSync(fd);
    } catch (e) {
      throw ioError(path, options, e);
    }
    const buf = new Growable(checkRegular(path, options, st, max), max);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf.bytes, buf.length, buf.room(), buf.length);
      } catch (e) {
        throw ioError(path, options, e);
      }
      if (n === 0) return buf.done(path, options);
      buf.advance(n, path, options);
    }
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // Nothing useful to do: the bytes (or the error) are what the caller needs.
    }
  }
}

/**
 * The read buffer: sized from fstat plus one byte (so growth shows), grown only while
 * the file keeps growing and never past `max + 1` bytes.
 */
class Growable {
  bytes: Uint8Array;
  length = 0;

  constructor(
    size: number,
    private readonly max: number,
  ) {
    this.bytes = new Uint8Array(Math.min(size, max) + 1);
  }

  room(): number {
    return this.bytes.length - this.length;
  }

  advance(n: number, path: string, options: ReadHostFileOptions): void {
    this.length += n;
    if (this.length > this.max) throw problem(path, options, "too-large", `grew past the ${this.max}-byte limit while being read`);
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(Math.min(this.bytes.length * 2, this.max + 1));
      grown.set(this.bytes);
      this.bytes = grown;
    }
  }

  done(path: string, options: ReadHostFileOptions): Uint8Array {
    if (this.length > this.max) throw problem(path, options, "too-large", `is over the ${this.max}-byte limit`);
    return this.bytes.length === this.length ? this.bytes : this.bytes.subarray(0, this.length);
  }
}

/** Refuses anything but a regular file within the cap; returns its size. */
function checkRegular(path: string, options: ReadHostFileOptions, st: HostFileStat, max: number): number {
  if (!st.isFile()) throw problem(path, options, "not-regular", `is ${kindOf(st)}, not a regular file`);
  if (st.size > max) throw problem(path, options, "too-large", `is ${st.size} bytes, over the ${max}-byte limit`);
  return st.size;
}

function kindOf(st: HostFileStat): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  return "not a regular file";
}

function openError(path: string, options: ReadHostFileOptions, e: unknown): HostFileError {
  switch (codeOf(e)) {
    case "ENOENT":
      return problem(path, options, "not-found", "does not exist", e);
    case "ENOTDIR":
      return problem(path, options, "not-found", "does not exist (a parent is not a directory)", e);
    case "ELOOP":
      return options.followSymlinks
        ? problem(path, options, "symlink", "is a symlink loop", e)
        : problem(path, options, "symlink", "is a symlink, which is not followed here; pass the path of the file itself", e);
    case "ENXIO":
      // open(2) of a socket, or of a device with nothing behind it.
      return problem(path, options, "not-regular", "is a socket or a device, not a regular file", e);
    case "EISDIR":
      return problem(path, options, "not-regular", "is a directory, not a regular file", e);
    default:
      return ioError(path, options, e);
  }
}

function ioError(path: string, options: ReadHostFileOptions, e: unknown): HostFileError {
  const code = codeOf(e);
  const detail = code === "EACCES" || code === "EPERM" ? "is not readable (permission denied)" : `cannot be read (${code ?? firstLine(e)})`;
  return problem(path, options, "unreadable", detail, e);
}

function problem(path: string, options: ReadHostFileOptions, kind: HostFileProblem, detail: string, cause?: unknown): HostFileError {
  const label = options.label ?? "file";
  return new HostFileError(path, kind, `${label} ${JSON.stringify(path.slice(0, 300))} ${detail}`, cause === undefined ? undefined : { cause });
}

function checkedMax(max: number): number {
  if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`maxBytes must be a non-negative safe integer, got ${max}`);
  return max;
}

function codeOf(e: unknown): string | undefined {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split("\n")[0] ?? "";
}
