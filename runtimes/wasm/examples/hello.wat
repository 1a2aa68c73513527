;; hello.wat — prints a line with WASI fd_write and returns from _start (exit code 0).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; The iovec at 0 points at the text at 16 (13 bytes).
  (data (i32.const 0) "\10\00\00\00\0d\00\00\00")
  (data (i32.const 16) "Hello, WASM!\n")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
