/**
 * @llm-wasm-sandbox/wasi-host — the engine under every runtime: a fuel meter, WASI
 * preview1 over a virtual filesystem, memory/time/output limits, a worker pool, and the
 * runner that executes a plugin's prepared RunSpec.
 *
 * Runtime plugins describe a run (`prepare` → RunSpec); the host (`createRunner`, owned by
 * the umbrella's SandboxHost) loads the image once, runs the plugin's driver in a worker,
 * and hands the RawRun to the plugin's `interpret`. Drivers are written against the
 * worker-side entry `@llm-wasm-sandbox/wasi-host/driver`.
 */

// Everything a host process's main thread uses (runner, live sessions, pool, module
// loading, start hints, cache maintenance, the constants and contracts plugins use).
export * from "./host.js";

// Loading (metering, caching, compiling) modules: what only this entry adds.
export type { InstrumentedSource, InstrumentedModule } from "./load-module.js";
export {
  instrumentModule,
  FUEL_EXPORT,
  GROW_FAILED_EXPORT,
  type InstrumentOptions,
  type InstrumentResult,
} from "./meter/instrument-module.js";

export type { PreparerTask, PreparerResult, Preparer } from "./cache/preparer-task.js";
export { wasiCommandDriver } from "./pool/dispatch.js";
export { classifyTrap, describeStop, type TrapFacts, type TrapClassification } from "./classify-trap.js";
export type { ToolCallReply } from "./channel/protocol.js";
export type { ControlChannel } from "./control/control-channel.js";

// Contracts (the rest are in ./host.js).
export { ProcExit, type GuestClock, type GuestContext, type GuestDriver } from "./types.js";

// The virtual filesystem (drivers and emscripten-style layers operate on `ctx.fs`).
export {
  createVirtualFs,
  DEFAULT_MAX_WORKSPACE_BYTES,
  DEFAULT_MAX_HOST_READ_BYTES,
  DEFAULT_MAX_METADATA_BYTES,
  DEFAULT_MAX_CREATED_INODES,
  ENTRY_HOST_BYTES,
  VirtualFs,
  VfsError,
  DirInode,
  FileInode,
  SymlinkInode,
  OpenFile,
  WORKSPACE_PATH,
  MAX_NAME_BYTES,
  MAX_PATH_BYTES,
  MAX_SYMLINK_HOPS,
  nodeHostFs,
  type DirEntry,
  type FileStat,
  type OpenOptions,
  type PathOptions,
  type VirtualFsOptions,
  type ErrnoName,
  type Inode,
  type InodeTimes,
  type MountInfo,
  type OpenFileMode,
  type Whence,
  type Resolved,
  type MountPoint,
  type SyncFileLoader,
  type WorkspaceBaseline,
  type HostFs,
  type ChangedPaths,
} from "./vfs/index.js";

// WASI preview1 and the run clock.
export {
  createWasiPreview1,
  createGuestClock,
  DETERMINISTIC_EPOCH_NS,
  DETERMINISTIC_STEP_NS,
  CappedSink,
  Errno,
  errnoCode,
  GuestMemory,
  DirFd,
  Fd,
  FileFd,
  OutputFd,
  StdinFd,
  FdTable,
  MAX_OPEN_FDS,
  traceImports,
  traceRequested,
  abi,
  type WasiPreview1,
  type WasiPreview1Options,
  type GuestClockOptions,
  type RunClock,
  type ByteSink,
  type ErrnoCode,
  type DirentRecord,
  type FdStat,
  type TraceSink,
  type WasiFunction,
} from "./wasi/index.js";

// Emscripten-built guests (QuickJS, Lua): their syscall imports over the same filesystem.
export * as emscripten from "./emscripten/index.js";
