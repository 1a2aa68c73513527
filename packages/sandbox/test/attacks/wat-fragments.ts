/**
 * WAT shared by the tests: a hello command, and the pieces of the raw-WASI attack
 * programs (the attack tests and the host-pressure bench). The pieces run inside a
 * `_start` that declares the locals `$tmp $i $n $p $err` (i32) and imports
 * `$prestat_name` (fd_prestat_dir_name) and `$path_symlink`, and use memory at 32
 * (scratch), 64 (`(data (i32.const 64) "s0000000")`, the link name) and 8192 (the link
 * target).
 */

/** Sets `$tmp` to the fd of the `/tmp` preopen (searching fds 3–15). */
export const FIND_TMP_PREOPEN = `
    (local.set $tmp (i32.const 3))
    (block $found (loop $preopen
      (br_if $found (i32.and
        (i32.eqz (call $prestat_name (local.get $tmp) (i32.const 32) (i32.const 4)))
        (i32.eq (i32.load (i32.const 32)) (i32.const 0x706d742f)))) ;; "/tmp"
      (local.set $tmp (i32.add (local.get $tmp) (i32.const 1)))
      (br_if $preopen (i32.lt_u (local.get $tmp) (i32.const 16)))))`;

/**
 * Creates /tmp/s0000000, s0000001, … — symlinks to a `targetBytes`-byte target — until
 * path_symlink returns an errno: afterwards `$err` holds it (51 is ENOSPC) and `$i` the
 * number of links made.
 */
export function symlinkFlood(targetBytes: number): string {
  return `
    (i32.store8 (i32.const 8192) (i32.const 47))
    (memory.fill (i32.const 8193) (i32.const 97) (i32.const ${targetBytes - 1}))
    (block $done (loop $link
      (local.set $n (local.get $i))
      (local.set $p (i32.const 72))
      (loop $digit
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
        (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
        (br_if $digit (i32.gt_u (local.get $p) (i32.const 65))))
      (local.set $err (call $path_symlink (i32.const 8192) (i32.const ${targetBytes}) (local.get $tmp) (i32.const 64) (i32.const 8)))
      (br_if $done (local.get $err))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $link)))`;
}

/** A WASI command that prints "hello\n" (fd_write of one iovec). */
export const WAT_HELLO = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;
