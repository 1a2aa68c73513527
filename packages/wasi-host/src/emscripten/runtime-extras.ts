/**
 * Emscripten runtime imports beyond files: the WASI clock and random imports (through
 * the run's GuestClock, so the determinism switch holds), and everything the sandbox does
 * not have, each failing the way the C library expects so the guest sees an ordinary
 * error: no network (sockets, name lookups), no dynamic loading (`dlopen` of any file,
 * including one the guest wrote, fails), no file mappings, no timers or signals from
 * outside, no processes. `abort` and failed assertions end the run as a trap.
 */
import type { GuestClock } from "../types.js";
import { EmErrno } from "./errno.js";
import type { GuestMemory } from "./guest-memory.js";

/** `getaddrinfo`/`getnameinfo`: "non-recoverable failure in name resolution". */
const EAI_FAIL = -4;
const CLOCK_REALTIME = 0;
const WASI_EINVAL = 28;

/** What the runtime imports need from their instance and run. */
export interface RuntimeExtrasOptions {
  readonly mem: GuestMemory;
  readonly clock: GuestClock;
  /** Memory cap in bytes (what `emscripten_get_heap_max` reports). */
  readonly capBytes: number;
  /** Program name for `_emscripten_get_progname` (argv[0]). */
  readonly programName: string;
  /** The instance's function table, once attached (signal handlers are called through it). */
  readonly table: () => WebAssembly.Table | undefined;
  /** Diagnostics the guest logs through emscripten (`emscripten_log`), to stderr. */
  writeStderr(bytes: Uint8Array): void;
}

/** Creates the WASI clock/random imports. */
export function createClockImports(mem: GuestMemory, clock: GuestClock) {
  return {
    clock_time_get: (id: number, _precision: bigint, out: number): number => {
      if (id < 0 || id > 3) return WASI_EINVAL;
      mem.setU64(out, id === CLOCK_REALTIME ? clock.realtimeNs() : clock.monotonicNs());
      return 0;
    },
    clock_res_get: (id: number, out: number): number => {
      if (id < 0 || id > 3) return WASI_EINVAL;
      mem.setU64(out, 1000n);
      return 0;
    },
    random_get: (ptr: number, len: number): number => {
      clock.fillRandom(mem.subarray(ptr, len));
      return 0;
    },
  };
}

/** Creates the network, dynamic-loading, mapping and runtime imports. */
export function createRuntimeExtras(o: RuntimeExtrasOptions) {
  const { mem } = o;
  const fail = (errno: number) => (): number => -errno;
  const abortWith = (message: string): never => {
    throw new WebAssembly.RuntimeError(message);
  };
  return {
    // Sockets: creating one is not permitted; the rest cannot be reached without one.
    __syscall_socket: fail(EmErrno.ACCES),
    __syscall_socketpair: fail(EmErrno.ACCES),
    __syscall_accept4: fail(EmErrno.NOTSOCK),
    __syscall_bind: fail(EmErrno.NOTSOCK),
    __syscall_connect: fail(EmErrno.NOTSOCK),
    __syscall_getpeername: fail(EmErrno.NOTSOCK),
    __syscall_getsockname: fail(EmErrno.NOTSOCK),
    __syscall_getsockopt: fail(EmErrno.NOTSOCK),
    __syscall_listen: fail(EmErrno.NOTSOCK),
    __syscall_recvfrom: fail(EmErrno.NOTSOCK),
    __syscall_recvmsg: fail(EmErrno.NOTSOCK),
    __syscall_sendmsg: fail(EmErrno.NOTSOCK),
    __syscall_sendto: fail(EmErrno.NOTSOCK),
    __syscall_shutdown: fail(EmErrno.NOTSOCK),
    getaddrinfo: (): number => EAI_FAIL,
    getnameinfo: (): number => EAI_FAIL,
    getprotobyname: (): number => 0,
    _emscripten_lookup_name: (): number => 0,
    // Dynamic loading: no handle is ever returned, whatever the file.
    _dlopen_js: (): number => 0,
    _dlsym_js: (): number => 0,
    _emscripten_dlopen_js: (): never => abortWith("asynchronous dlopen is not available in the sandbox"),
    emscripten_promise_create: (): never => abortWith("emscripten promises are not available in the sandbox"),
    emscripten_promise_resolve: (): never => abortWith("emscripten promises are not available in the sandbox"),
    emscripten_promise_destroy: (): never => abortWith("emscripten promises are not available in the sandbox"),
    // File-backed mappings (anonymous ones never leave the C library).
    _mmap_js: fail(EmErrno.NODEV),
    _munmap_js: fail(EmErrno.INVAL),
    _msync_js: fail(EmErrno.INVAL),
    // One user, no processes, no interval timers.
    __syscall_getuid32_js: (): number => 0,
    __syscall_umask_js: (): number => 0o022,
    _setitimer_js: fail(EmErrno.NOSYS),
    _emscripten_system: (command: number): number => (command === 0 ? 0 : -1),
    __call_sighandler: (fp: number, sig: number): void => {
      const handler = o.table()?.get(fp) as ((sig: number) => void) | null | undefined;
      if (typeof handler !== "function") return abortWith(`signal ${sig} handler ${fp} is not a function`);
      handler(sig);
    },
    emscripten_get_heap_max: (): number => Math.floor(o.capBytes / 65536) * 65536,
    _emscripten_get_progname: (buf: number, size: number): void => {
      if (size > 0) mem.writeCString(buf, o.programName.slice(0, size - 1), size);
    },
    emscripten_runtime_keepalive_push: (): void => undefined,
    emscripten_runtime_keepalive_pop: (): void => undefined,
    _emscripten_runtime_keepalive_clear: (): void => undefined,
    _emscripten_log_formatted: (_flags: number, text: number): void => o.writeStderr(line(mem.cstringBytes(text, 65536))),
    emscripten_log_impl_js: (text: number): void => o.writeStderr(line(mem.cstringBytes(text, 65536))),
    _abort_js: (): never => abortWith("abort() called by the guest"),
    __assert_fail: (cond: number, file: number, line: number, fn: number): never =>
      abortWith(`assertion failed: ${mem.cstring(cond, 512)} at ${mem.cstring(file, 512)}:${line} (${mem.cstring(fn, 256)})`),
  };
}

/** The bytes followed by a newline (emscripten logs one line per call). */
function line(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = 10;
  return out;
}
