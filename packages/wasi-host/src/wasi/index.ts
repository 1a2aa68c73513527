/**
 * WASI preview1 over the VirtualFs: the `wasi_snapshot_preview1` imports, the capped
 * output sinks, deterministic-aware clocks, and the pieces drivers may reuse.
 */
export { createWasiPreview1, type WasiPreview1, type WasiPreview1Options } from "./preview1.js";
export { createGuestClock, DETERMINISTIC_EPOCH_NS, DETERMINISTIC_STEP_NS, type GuestClockOptions, type RunClock } from "./clock.js";
export { CappedSink, type ByteSink } from "./output-sink.js";
export { Errno, errnoCode, type ErrnoCode } from "./errno.js";
export { GuestMemory } from "./memory-view.js";
export { DirFd, Fd, FileFd, OutputFd, StdinFd, type DirentRecord, type FdStat } from "./fd.js";
export { FdTable, MAX_OPEN_FDS } from "./fd-table.js";
export { traceImports, traceRequested, type TraceSink } from "./trace.js";
export type { WasiFunction } from "./syscall-context.js";
export * as abi from "./abi.js";
