/**
 * `wasi_snapshot_preview1` over a VirtualFs: builds the fd table (stdin from a
 * buffer, capped stdout/stderr, then the preopens) and the import object.
 *
 * Preopen order: fd 3 is `/app`, then each read-only mount in the order given, and
 * last `/` itself (read-only, holding only mount points), so that wasi-libc resolves
 * any absolute path — `/etc/passwd` becomes `etc/passwd` relative to `/`, which does
 * not exist — and `os.listdir("/")` shows the mount points.
 */
import type { VirtualFs } from "../vfs/virtual-fs.js";
import type { GuestClock } from "../types.js";
import type { RunClock } from "./clock.js";
import { DirFd, OutputFd, StdinFd } from "./fd.js";
import { FdTable } from "./fd-table.js";
import { GuestMemory } from "./memory-view.js";
import type { ByteSink } from "./output-sink.js";
import { fdSyscalls } from "./preview1-fd.js";
import { miscSyscalls } from "./preview1-misc.js";
import { pathSyscalls } from "./preview1-path.js";
import type { SyscallContext, WasiFunction } from "./syscall-context.js";
import { traceImports, traceRequested, type TraceSink } from "./trace.js";

/** Options of `createWasiPreview1`. */
export interface WasiPreview1Options {
  /** The guest memory, or a getter when it is only known after instantiation. */
  readonly memory: WebAssembly.Memory | (() => WebAssembly.Memory);
  readonly fs: VirtualFs;
  /** argv, argv[0] included. */
  readonly args: readonly string[];
  /** Exactly the variables the guest sees (nothing of the host's leaks in). */
  readonly env: Readonly<Record<string, string>>;
  /** Clocks and randomness; a RunClock (createGuestClock) also makes poll_oneoff sleep. */
  readonly clock: GuestClock | RunClock;
  /** Bytes fd 0 reads (default: empty). */
  readonly stdin?: Uint8Array;
  /** fd 1 (use a CappedSink to cap it). */
  readonly stdout: ByteSink;
  /** fd 2. */
  readonly stderr: ByteSink;
  /** Also preopen `/` after the mounts (default true). */
  readonly preopenRoot?: boolean;
  /** Log every call: true → host stderr, a function → there (default: LLM_SANDBOX_TRACE=1). */
  readonly trace?: boolean | TraceSink;
}

/** The preview1 world of one run. */
export interface WasiPreview1 {
  /** The `wasi_snapshot_preview1` import object. */
  readonly imports: Record<string, WasiFunction>;
  /** The fd table (for drivers that need to inspect or add fds). */
  readonly fds: FdTable;
  /** Host exceptions the guard turned into EIO/ENOMEM (normally empty). */
  readonly hostErrors: readonly unknown[];
}

/** Builds the imports (see module doc). */
export function createWasiPreview1(options: WasiPreview1Options): WasiPreview1 {
  const fds = new FdTable();
  fds.set(0, new StdinFd(options.stdin ?? new Uint8Array(0)));
  fds.set(1, new OutputFd(options.stdout));
  fds.set(2, new OutputFd(options.stderr));
  for (const mount of options.fs.mounts()) fds.add(new DirFd(options.fs, mount.dir, mount.guestPath));
  if (options.preopenRoot ?? true) fds.add(new DirFd(options.fs, options.fs.root, "/"));

  const ctx: SyscallContext = {
    mem: new GuestMemory(options.memory),
    fs: options.fs,
    fds,
    clock: options.clock,
    args: options.args,
    env: options.env,
    hostErrors: [],
  };
  let imports: Record<string, WasiFunction> = { ...miscSyscalls(ctx), ...fdSyscalls(ctx), ...pathSyscalls(ctx) };
  const trace = options.trace ?? traceRequested();
  if (trace !== false) imports = traceImports(imports, trace === true ? undefined : trace);
  return { imports, fds, hostErrors: ctx.hostErrors };
}
