;; tools.wat — calls the host function `search` with {"query":"fuel"} through the
;; llm_sandbox.call import and prints the reply line ({"ok":true,"value":…}).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  ;; call(name_ptr, name_len, args_ptr, args_len, out_ptr, out_cap) -> reply length
  (import "llm_sandbox" "call" (func $call (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "search")
  (data (i32.const 32) "{\"query\":\"fuel\"}")
  (func (export "_start")
    (local $n i32)
    ;; The reply goes to 1024 (up to 60,000 bytes); a longer one would be left for llm_sandbox.reply.
    (local.set $n (call $call (i32.const 16) (i32.const 6) (i32.const 32) (i32.const 16) (i32.const 1024) (i32.const 60000)))
    (if (i32.or (i32.lt_s (local.get $n) (i32.const 0)) (i32.gt_s (local.get $n) (i32.const 60000)))
      (then (unreachable)))
    ;; A newline after the reply, then one fd_write of it (the iovec at 0).
    (i32.store8 (i32.add (i32.const 1024) (local.get $n)) (i32.const 10))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.add (local.get $n) (i32.const 1)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
