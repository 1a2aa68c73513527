/**
 * preview1 syscalls that are not about files: args, environ, clocks, random,
 * poll_oneoff, proc_*, sched_yield and the socket calls (ENOTSUP).
 */
import { fail } from "../vfs/errors.js";
import { ProcExit } from "../types.js";
import { ClockId, EventType, Layout, SubclockFlags } from "./abi.js";
import { Errno } from "./errno.js";
import { guard, u32, type SyscallContext, type WasiFunction } from "./syscall-context.js";

const encoder = new TextEncoder();

/** args_*, environ_*, clock_*, random_get, poll_oneoff, proc_*, sched_yield, sock_*. */
export function miscSyscalls(ctx: SyscallContext): Record<string, WasiFunction> {
  const { mem, clock } = ctx;
  const argBytes = ctx.args.map((a) => encoder.encode(`${a}\0`));
  const envBytes = Object.entries(ctx.env).map(([k, v]) => encoder.encode(`${k}=${v}\0`));

  const sizes = (list: Uint8Array[]) => (countPtr: number, sizePtr: number): void => {
    mem.setU32(u32(countPtr), list.length);
    mem.setU32(u32(sizePtr), list.reduce((n, b) => n + b.length, 0));
  };
  const fill = (list: Uint8Array[]) => (ptrsPtr: number, bufPtr: number): void => {
    let ptrs = u32(ptrsPtr);
    let buf = u32(bufPtr);
    for (const bytes of list) {
      mem.setU32(ptrs, buf);
      mem.write(buf, bytes);
      ptrs += 4;
      buf += bytes.length;
    }
  };
  const now = (id: number): bigint => {
    if (id === ClockId.realtime) return clock.realtimeNs();
    if (id === ClockId.monotonic || id === ClockId.processCputime || id === ClockId.threadCputime) return clock.monotonicNs();
    return fail("inval", `unknown clock id ${id}`);
  };

  return {
    args_sizes_get: guard(ctx, sizes(argBytes)),
    args_get: guard(ctx, fill(argBytes)),
    environ_sizes_get: guard(ctx, sizes(envBytes)),
    environ_get: guard(ctx, fill(envBytes)),
    clock_res_get: guard(ctx, (id: number, resPtr: number) => {
      now(id);
      mem.setU64(u32(resPtr), "resolutionNs" in clock ? clock.resolutionNs() : 1_000n);
    }),
    clock_time_get: guard(ctx, (id: number, _precision: bigint, timePtr: number) => {
      mem.setU64(u32(timePtr), now(id));
    }),
    random_get: guard(ctx, (buf: number, len: number) => {
      // Filled off-memory first: getRandomValues refuses views of shared memory.
      const bytes = new Uint8Array(mem.slice(u32(buf), u32(len)).length);
      clock.fillRandom(bytes);
      mem.write(u32(buf), bytes);
    }),
    poll_oneoff: guard(ctx, (inPtr: number, outPtr: number, nsubs: number, neventsPtr: number) =>
      pollOneoff(ctx, u32(inPtr), u32(outPtr), u32(nsubs), u32(neventsPtr), now),
    ),
    proc_exit: (code: number): never => {
      throw new ProcExit(u32(code));
    },
    proc_raise: guard(ctx, () => Errno.nosys),
    sched_yield: guard(ctx, () => Errno.success),
    sock_accept: guard(ctx, () => Errno.notsup),
    sock_recv: guard(ctx, () => Errno.notsup),
    sock_send: guard(ctx, () => Errno.notsup),
    sock_shutdown: guard(ctx, () => Errno.notsup),
  };
}

/** Most subscriptions one poll_oneoff call may pass. */
const MAX_SUBSCRIPTIONS = 4096;

interface Subscription {
  readonly userdata: bigint;
  readonly type: number;
  /** For clocks: ns from now until it fires. */
  readonly delayNs: bigint;
  /** errno reported in the event (EBADF for an fd that is not open). */
  readonly error: number;
}

/**
 * poll_oneoff: fd subscriptions are always ready (files and the byte-buffer stdin
 * never block, output never blocks); when none is present, sleeps until the earliest
 * clock subscription (virtual time when deterministic) and reports it.
 */
function pollOneoff(ctx: SyscallContext, inPtr: number, outPtr: number, nsubs: number, neventsPtr: number, now: (id: number) => bigint): number {
  const { mem } = ctx;
  // Zero subscriptions would block forever; thousands only serve to make the host allocate.
  if (nsubs === 0 || nsubs > MAX_SUBSCRIPTIONS) return Errno.inval;
  const L = Layout.subscription;
  const subs: Subscription[] = [];
  for (let i = 0; i < nsubs; i++) {
    const base = inPtr + i * L.size;
    const userdata = mem.u64At(base + L.userdata);
    const type = mem.u8At(base + L.tag);
    if (type === EventType.clock) {
      const id = mem.u32At(base + L.clockId);
      const timeout = mem.u64At(base + L.timeout);
      const abs = (mem.u16At(base + L.flags) & SubclockFlags.abstime) !== 0;
      subs.push({ userdata, type, delayNs: abs ? timeout - now(id) : timeout, error: Errno.success });
    } else if (type === EventType.fdRead || type === EventType.fdWrite) {
      // A closed fd is reported in its event, as the spec asks, not as a failed call.
      const open = ctx.fds.has(mem.u32At(base + L.fd));
      subs.push({ userdata, type, delayNs: 0n, error: open ? Errno.success : Errno.badf });
    } else return Errno.inval;
  }
  const fdReady = subs.filter((s) => s.type !== EventType.clock);
  let fired: Subscription[];
  if (fdReady.length > 0) fired = [...fdReady, ...subs.filter((s) => s.type === EventType.clock && s.delayNs <= 0n)];
  else {
    const earliest = subs.reduce((m, s) => (s.delayNs < m ? s.delayNs : m), subs[0]?.delayNs ?? 0n);
    if (earliest > 0n) ctx.clock.sleep?.(earliest);
    fired = subs.filter((s) => s.delayNs <= earliest);
  }
  const E = Layout.event;
  fired.forEach((s, i) => {
    const base = outPtr + i * E.size;
    mem.write(base, new Uint8Array(E.size));
    mem.setU64(base + E.userdata, s.userdata);
    mem.setU16(base + E.error, s.error);
    mem.setU8(base + E.type, s.type);
    if (s.type !== EventType.clock && s.error === Errno.success) mem.setU64(base + E.nbytes, 1n);
  });
  mem.setU32(neventsPtr, fired.length);
  return Errno.success;
}
