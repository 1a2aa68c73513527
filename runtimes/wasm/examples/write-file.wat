;; write-file.wat — creates /app/greeting.txt through the /app preopen (fd 3) and writes
;; a line to it; exits with code 1 if the file cannot be opened.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "greeting.txt")
  (data (i32.const 128) "written by write-file.wat\n")
  (func (export "_start")
    (local $fd i32)
    ;; dirfd 3 (/app), no symlink follow, path at 64 (12 bytes), O_CREAT|O_TRUNC (9),
    ;; rights fd_write (1<<6), result fd at 16.
    (if (i32.ne
          (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 12)
            (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 16))
          (i32.const 0))
      (then (call $proc_exit (i32.const 1))))
    (local.set $fd (i32.load (i32.const 16)))
    (i32.store (i32.const 0) (i32.const 128))
    (i32.store (i32.const 4) (i32.const 26))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $fd_close (local.get $fd)))))
