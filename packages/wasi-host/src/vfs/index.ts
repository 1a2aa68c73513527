/**
 * The virtual filesystem: an in-memory inode tree with the session workspace at /app
 * (lazy, journaled), read-only mounts, and path resolution that never leaves the tree.
 * The WASI preview1 layer (`../wasi`) and emscripten-style syscall layers sit on top.
 */
export {
  createVirtualFs,
  DEFAULT_MAX_CREATED_INODES,
  DEFAULT_MAX_HOST_READ_BYTES,
  DEFAULT_MAX_METADATA_BYTES,
  DEFAULT_MAX_WORKSPACE_BYTES,
  ENTRY_HOST_BYTES,
  VirtualFs,
} from "./virtual-fs.js";
export type { DirEntry, FileStat, OpenOptions, PathOptions, VirtualFsOptions } from "./virtual-fs.js";
export { VfsError, type ErrnoName } from "./errors.js";
export { DirInode, FileInode, SymlinkInode, type Inode, type InodeTimes, type MountInfo } from "./inode.js";
export { OpenFile, type OpenFileMode, type Whence } from "./open-file.js";
export { MAX_NAME_BYTES, MAX_PATH_BYTES, MAX_SYMLINK_HOPS, type Resolved } from "./resolve.js";
export { SCRATCH_PATH, WORKSPACE_PATH, type MountPoint, type SyncFileLoader, type WorkspaceBaseline } from "./mount-table.js";
export { nodeHostFs, type HostFs } from "./host-dir.js";
export type { ChangedPaths } from "./journal.js";
