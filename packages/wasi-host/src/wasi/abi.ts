/**
 * WASI preview1 constants and struct layouts (from the witx of
 * `wasi_snapshot_preview1`). Offsets are bytes, little-endian.
 */

/** `filetype` */
export const FileType = {
  unknown: 0,
  blockDevice: 1,
  characterDevice: 2,
  directory: 3,
  regularFile: 4,
  socketDgram: 5,
  socketStream: 6,
  symbolicLink: 7,
} as const;

/** `oflags` */
export const OFlags = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;
/** `fdflags` */
export const FdFlags = { append: 1, dsync: 2, nonblock: 4, rsync: 8, sync: 16 } as const;
/** `lookupflags` */
export const LookupFlags = { symlinkFollow: 1 } as const;
/** `fstflags` */
export const FstFlags = { atim: 1, atimNow: 2, mtim: 4, mtimNow: 8 } as const;
/** `clockid` */
export const ClockId = { realtime: 0, monotonic: 1, processCputime: 2, threadCputime: 3 } as const;
/** `eventtype` */
export const EventType = { clock: 0, fdRead: 1, fdWrite: 2 } as const;
/** `subclockflags` */
export const SubclockFlags = { abstime: 1 } as const;
/** `whence` */
export const Whence = { set: 0, cur: 1, end: 2 } as const;

/** `rights` bits the host reports (it does not enforce rights; mounts decide). */
export const Rights = {
  fdDatasync: 1n << 0n,
  fdRead: 1n << 1n,
  fdSeek: 1n << 2n,
  fdFdstatSetFlags: 1n << 3n,
  fdSync: 1n << 4n,
  fdTell: 1n << 5n,
  fdWrite: 1n << 6n,
  fdAdvise: 1n << 7n,
  fdAllocate: 1n << 8n,
  pathCreateDirectory: 1n << 9n,
  pathCreateFile: 1n << 10n,
  pathLinkSource: 1n << 11n,
  pathLinkTarget: 1n << 12n,
  pathOpen: 1n << 13n,
  fdReaddir: 1n << 14n,
  pathReadlink: 1n << 15n,
  pathRenameSource: 1n << 16n,
  pathRenameTarget: 1n << 17n,
  pathFilestatGet: 1n << 18n,
  pathFilestatSetSize: 1n << 19n,
  pathFilestatSetTimes: 1n << 20n,
  fdFilestatGet: 1n << 21n,
  fdFilestatSetSize: 1n << 22n,
  fdFilestatSetTimes: 1n << 23n,
  pathSymlink: 1n << 24n,
  pathRemoveDirectory: 1n << 25n,
  pathUnlinkFile: 1n << 26n,
  pollFdReadwrite: 1n << 27n,
  sockShutdown: 1n << 28n,
  sockAccept: 1n << 29n,
} as const;

/** Every right. */
export const ALL_RIGHTS = (1n << 30n) - 1n;
/** Rights that mutate; removed for read-only mounts so guests can see it up front. */
export const WRITE_RIGHTS =
  Rights.fdDatasync |
  Rights.fdWrite |
  Rights.fdAllocate |
  Rights.fdFilestatSetSize |
  Rights.fdFilestatSetTimes |
  Rights.fdSync |
  Rights.pathCreateDirectory |
  Rights.pathCreateFile |
  Rights.pathLinkTarget |
  Rights.pathRenameSource |
  Rights.pathRenameTarget |
  Rights.pathFilestatSetSize |
  Rights.pathFilestatSetTimes |
  Rights.pathSymlink |
  Rights.pathRemoveDirectory |
  Rights.pathUnlinkFile;

/** Struct sizes and field offsets. */
export const Layout = {
  iovec: { size: 8, buf: 0, len: 4 },
  fdstat: { size: 24, filetype: 0, flags: 2, rightsBase: 8, rightsInheriting: 16 },
  filestat: { size: 64, dev: 0, ino: 8, filetype: 16, nlink: 24, size_: 32, atim: 40, mtim: 48, ctim: 56 },
  dirent: { size: 24, next: 0, ino: 8, namlen: 16, type: 20 },
  prestat: { size: 8, tag: 0, nameLen: 4 },
  subscription: { size: 48, userdata: 0, tag: 8, clockId: 16, timeout: 24, precision: 32, flags: 40, fd: 16 },
  event: { size: 32, userdata: 0, error: 8, type: 10, nbytes: 16, flags: 24 },
} as const;
