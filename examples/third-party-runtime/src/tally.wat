;; Tally — a tiny line-oriented language, interpreted by this WASI preview1 command.
;; It reads /app/user_code.tally (through the /app preopen, fd 3) and runs one command
;; per line; blank lines and lines starting with '#' are skipped.
;;
;;   print TEXT         prints TEXT and a newline
;;   repeat N TEXT      prints TEXT and a newline N times
;;   sum N              prints 1 + 2 + ... + N
;;   env NAME           prints the value of environment variable NAME (empty if unset)
;;   write FILE TEXT    writes TEXT to FILE (relative to /app, or /app/...)
;;   cat PATH           prints the file at PATH, or "denied PATH" when it cannot be opened
;;   alloc MIB          grows memory by MIB mebibytes; fails with "out of memory"
;;   fail TEXT          stops with exit code 1 and TEXT on stderr
;;   forever            loops forever (for testing limits)
;;
;; Unknown commands are syntax errors (exit code 2). Memory map: 0..127 scratch,
;; 128..191 digits, 256.. literals, 1024..2047 path names, 4096..69631 the program,
;; 69632..73727 environ pointers, 73728..106495 environ strings, 131072.. read buffer.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 3)

  (data (i32.const 256) "user_code.tally")       ;; 15
  (data (i32.const 272) "print")                 ;; 5
  (data (i32.const 280) "repeat")                ;; 6
  (data (i32.const 288) "sum")                   ;; 3
  (data (i32.const 292) "env")                   ;; 3
  (data (i32.const 296) "write")                 ;; 5
  (data (i32.const 304) "cat")                   ;; 3
  (data (i32.const 308) "alloc")                 ;; 5
  (data (i32.const 316) "fail")                  ;; 4
  (data (i32.const 320) "forever")               ;; 7
  (data (i32.const 336) "tally: line ")          ;; 12
  (data (i32.const 352) ": ")                    ;; 2
  (data (i32.const 356) "\n")                    ;; 1
  (data (i32.const 360) "syntax error: unknown command") ;; 29
  (data (i32.const 392) "out of memory")         ;; 13
  (data (i32.const 408) "denied ")               ;; 7
  (data (i32.const 416) "syntax error: expected a number") ;; 31
  (data (i32.const 448) "cannot read /app/user_code.tally") ;; 32
  (data (i32.const 484) "program larger than 64 KiB") ;; 26
  (data (i32.const 512) "cannot write the file") ;; 21
  (data (i32.const 536) "/app/")                 ;; 5

  (global $line (mut i32) (i32.const 0))
  (global $after (mut i32) (i32.const 0))
  (global $root (mut i32) (i32.const -1))

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $newline (param $fd i32) (call $write (local.get $fd) (i32.const 356) (i32.const 1)))

  ;; Writes n in decimal to fd.
  (func $write_num (param $fd i32) (param $n i64)
    (local $p i32)
    (local.set $p (i32.const 192))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $n) (i64.const 10)))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $n) (i64.const 0))))
    (call $write (local.get $fd) (local.get $p) (i32.sub (i32.const 192) (local.get $p))))

  ;; "tally: line N: MESSAGE\n" on stderr, then exit with code.
  (func $die (param $code i32) (param $ptr i32) (param $len i32)
    (call $write (i32.const 2) (i32.const 336) (i32.const 12))
    (call $write_num (i32.const 2) (i64.extend_i32_u (global.get $line)))
    (call $write (i32.const 2) (i32.const 352) (i32.const 2))
    (call $write (i32.const 2) (local.get $ptr) (local.get $len))
    (call $newline (i32.const 2))
    (call $proc_exit (local.get $code)))

  ;; Do the len bytes at a equal the lit_len bytes at lit?
  (func $equals (param $a i32) (param $len i32) (param $lit i32) (param $lit_len i32) (result i32)
    (local $i i32)
    (if (i32.ne (local.get $len) (local.get $lit_len)) (then (return (i32.const 0))))
    (block $differ
      (loop $each
        (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
        (br_if $differ (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                               (i32.load8_u (i32.add (local.get $lit) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (i32.const 0))

  ;; Does the text at a (len bytes) start with lit (lit_len bytes)?
  (func $starts (param $a i32) (param $len i32) (param $lit i32) (param $lit_len i32) (result i32)
    (if (i32.lt_u (local.get $len) (local.get $lit_len)) (then (return (i32.const 0))))
    (call $equals (local.get $a) (local.get $lit_len) (local.get $lit) (local.get $lit_len)))

  ;; First position at or after p (before end) that is not a space.
  (func $skip_spaces (param $p i32) (param $end i32) (result i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $done (i32.ne (i32.load8_u (local.get $p)) (i32.const 32)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $each)))
    (local.get $p))

  ;; First position at or after p (before end) that is a space, or end.
  (func $word_end (param $p i32) (param $end i32) (result i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $done (i32.eq (i32.load8_u (local.get $p)) (i32.const 32)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $each)))
    (local.get $p))

  ;; Parses a decimal number at p; $after is set past it and any spaces. Dies if none.
  (func $number (param $p i32) (param $end i32) (result i64)
    (local $n i64) (local $d i32) (local $start i32)
    (local.set $start (local.get $p))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $d (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $d) (i32.const 9)))
        (local.set $n (i64.add (i64.mul (local.get $n) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $each)))
    (if (i32.eq (local.get $p) (local.get $start)) (then (call $die (i32.const 2) (i32.const 416) (i32.const 31))))
    (global.set $after (call $skip_spaces (local.get $p) (local.get $end)))
    (local.get $n))

  ;; Finds the preopen named "/" (for absolute paths outside /app).
  (func $find_root
    (local $fd i32)
    (local.set $fd (i32.const 3))
    (block $done
      (loop $each
        (br_if $done (i32.ne (call $fd_prestat_get (local.get $fd) (i32.const 32)) (i32.const 0)))
        (if (i32.eq (i32.load (i32.const 36)) (i32.const 1))
          (then
            (drop (call $fd_prestat_dir_name (local.get $fd) (i32.const 1024) (i32.const 1)))
            (if (i32.eq (i32.load8_u (i32.const 1024)) (i32.const 47))
              (then (global.set $root (local.get $fd)) (return)))))
        (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
        (br $each))))

  ;; Opens a guest path: "/app/x" and "x" under fd 3, other absolute paths under "/". -1 on failure.
  (func $open (param $ptr i32) (param $len i32) (param $oflags i32) (param $rights i64) (result i32)
    (local $dir i32)
    (local.set $dir (i32.const 3))
    (if (call $starts (local.get $ptr) (local.get $len) (i32.const 536) (i32.const 5))
      (then
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 5)))
        (local.set $len (i32.sub (local.get $len) (i32.const 5))))
      (else
        (if (i32.and (i32.gt_u (local.get $len) (i32.const 0)) (i32.eq (i32.load8_u (local.get $ptr)) (i32.const 47)))
          (then
            (if (i32.lt_s (global.get $root) (i32.const 0)) (then (return (i32.const -1))))
            (local.set $dir (global.get $root))
            (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
            (local.set $len (i32.sub (local.get $len) (i32.const 1)))))))
    (if (result i32)
      (i32.eqz (call $path_open (local.get $dir) (i32.const 1) (local.get $ptr) (local.get $len)
        (local.get $oflags) (local.get $rights) (i64.const 0) (i32.const 0) (i32.const 16)))
      (then (i32.load (i32.const 16)))
      (else (i32.const -1))))

  ;; Reads fd into memory at 4096 (the program), returning its length.
  (func $load (param $fd i32) (result i32)
    (local $len i32)
    (loop $more
      (i32.store (i32.const 24) (i32.add (i32.const 4096) (local.get $len)))
      (i32.store (i32.const 28) (i32.sub (i32.const 65536) (local.get $len)))
      (if (i32.ne (call $fd_read (local.get $fd) (i32.const 24) (i32.const 1) (i32.const 32)) (i32.const 0))
        (then (call $die (i32.const 2) (i32.const 448) (i32.const 32))))
      (local.set $len (i32.add (local.get $len) (i32.load (i32.const 32))))
      (if (i32.ge_u (local.get $len) (i32.const 65536)) (then (call $die (i32.const 2) (i32.const 484) (i32.const 26))))
      (br_if $more (i32.ne (i32.load (i32.const 32)) (i32.const 0))))
    (local.get $len))

  (func $cat (param $ptr i32) (param $len i32)
    (local $fd i32)
    (local.set $fd (call $open (local.get $ptr) (local.get $len) (i32.const 0) (i64.const 2)))
    (if (i32.lt_s (local.get $fd) (i32.const 0))
      (then
        (call $write (i32.const 1) (i32.const 408) (i32.const 7))
        (call $write (i32.const 1) (local.get $ptr) (local.get $len))
        (call $newline (i32.const 1))
        (return)))
    (loop $more
      (i32.store (i32.const 24) (i32.const 131072))
      (i32.store (i32.const 28) (i32.const 65536))
      (if (i32.ne (call $fd_read (local.get $fd) (i32.const 24) (i32.const 1) (i32.const 32)) (i32.const 0))
        (then (drop (call $fd_close (local.get $fd))) (return)))
      (call $write (i32.const 1) (i32.const 131072) (i32.load (i32.const 32)))
      (br_if $more (i32.ne (i32.load (i32.const 32)) (i32.const 0))))
    (drop (call $fd_close (local.get $fd))))

  (func $write_file (param $p i32) (param $end i32)
    (local $name_end i32) (local $fd i32) (local $text i32)
    (local.set $name_end (call $word_end (local.get $p) (local.get $end)))
    (local.set $fd (call $open (local.get $p) (i32.sub (local.get $name_end) (local.get $p)) (i32.const 9) (i64.const 64)))
    (if (i32.lt_s (local.get $fd) (i32.const 0)) (then (call $die (i32.const 1) (i32.const 512) (i32.const 21))))
    (local.set $text (call $skip_spaces (local.get $name_end) (local.get $end)))
    (call $write (local.get $fd) (local.get $text) (i32.sub (local.get $end) (local.get $text)))
    (drop (call $fd_close (local.get $fd))))

  (func $env (param $name i32) (param $len i32)
    (local $count i32) (local $i i32) (local $s i32) (local $e i32)
    (drop (call $environ_sizes_get (i32.const 40) (i32.const 44)))
    (local.set $count (i32.load (i32.const 40)))
    (if (i32.or (i32.gt_u (local.get $count) (i32.const 1024)) (i32.gt_u (i32.load (i32.const 44)) (i32.const 32768)))
      (then (call $newline (i32.const 1)) (return)))
    (drop (call $environ_get (i32.const 69632) (i32.const 73728)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $s (i32.load (i32.add (i32.const 69632) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.and
              (call $equals (local.get $s) (local.get $len) (local.get $name) (local.get $len))
              (i32.eq (i32.load8_u (i32.add (local.get $s) (local.get $len))) (i32.const 61)))
          (then
            (local.set $s (i32.add (local.get $s) (i32.add (local.get $len) (i32.const 1))))
            (local.set $e (local.get $s))
            (loop $to_nul
              (if (i32.ne (i32.load8_u (local.get $e)) (i32.const 0))
                (then (local.set $e (i32.add (local.get $e) (i32.const 1))) (br $to_nul))))
            (call $write (i32.const 1) (local.get $s) (i32.sub (local.get $e) (local.get $s)))
            (br $done)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (call $newline (i32.const 1)))

  ;; Runs one line: the command word is [p, w), its argument [arg, end).
  (func $command (param $p i32) (param $w i32) (param $end i32)
    (local $len i32) (local $arg i32) (local $n i64) (local $acc i64)
    (local.set $len (i32.sub (local.get $w) (local.get $p)))
    (local.set $arg (call $skip_spaces (local.get $w) (local.get $end)))
    (if (call $equals (local.get $p) (local.get $len) (i32.const 272) (i32.const 5))
      (then
        (call $write (i32.const 1) (local.get $arg) (i32.sub (local.get $end) (local.get $arg)))
        (call $newline (i32.const 1))
        (return)))
    (if (call $equals (local.get $p) (local.get $len) (i32.const 280) (i32.const 6))
      (then
        (local.set $n (call $number (local.get $arg) (local.get $end)))
        (block $done
          (loop $each
            (br_if $done (i64.eqz (local.get $n)))
            (call $write (i32.const 1) (global.get $after) (i32.sub (local.get $end) (global.get $after)))
            (call $newline (i32.const 1))
            (local.set $n (i64.sub (local.get $n) (i64.const 1)))
            (br $each)))
        (return)))
    (if (call $equals (local.get $p) (local.get $len) (i32.const 288) (i32.const 3))
      (then
        (local.set $n (call $number (local.get $arg) (local.get $end)))
        (block $done
          (loop $each
            (br_if $done (i64.eqz (local.get $n)))
            (local.set $acc (i64.add (local.get $acc) (local.get $n)))
            (local.set $n (i64.sub (local.get $n) (i64.const 1)))
            (br $each)))
        (call $write_num (i32.const 1) (local.get $acc))
        (call $newline (i32.const 1))
        (return)))
    (if (call $equals (local.get $p) (local.get $len) (i32.const 292) (i32.const 3))
      (then (call $env (local.get $arg) (i32.sub (local.get $end) (local.get $arg))) (return)))
    (if (call $equals (local.get $p) (local.get $len) (i32.const 296) (i32.const 5))
      (then (call $write_file (local.get $arg) (local.get $end)) (return)))
    (if (call $equals (local.get $p) (local.get $len) (i32.const 304) (i32.const 3))
      (then (call $cat (local.get $arg) (i32.sub (local.get $end) (local.get $arg))) (return)))
    (if (call $equals (local.get $p) (local.get $len) (i32.const 308) (i32.const 5))
      (then
        (local.set $n (call $number (local.get $arg) (local.get $end)))
        (if (i64.gt_u (local.get $n) (i64.const 65536)) (then (call $die (i32.const 1) (i32.const 392) (i32.const 13))))
        (if (i32.eq (memory.grow (i32.mul (i32.wrap_i64 (local.get $n)) (i32.const 16))) (i32.const -1))
          (then (call $die (i32.const 1) (i32.const 392) (i32.const 13))))
        (return)))
    (if (call $equals (local.get $p) (local.get $len) (i32.const 316) (i32.const 4))
      (then (call $die (i32.const 1) (local.get $arg) (i32.sub (local.get $end) (local.get $arg)))))
    (if (call $equals (local.get $p) (local.get $len) (i32.const 320) (i32.const 7))
      (then (loop $spin (br $spin))))
    (call $die (i32.const 2) (i32.const 360) (i32.const 29)))

  (func (export "_start")
    (local $fd i32) (local $p i32) (local $end i32) (local $eol i32) (local $w i32)
    (call $find_root)
    (local.set $fd (call $open (i32.const 256) (i32.const 15) (i32.const 0) (i64.const 2)))
    (if (i32.lt_s (local.get $fd) (i32.const 0)) (then (call $die (i32.const 2) (i32.const 448) (i32.const 32))))
    (local.set $end (i32.add (i32.const 4096) (call $load (local.get $fd))))
    (local.set $p (i32.const 4096))
    (block $finished
      (loop $lines
        (br_if $finished (i32.ge_u (local.get $p) (local.get $end)))
        (global.set $line (i32.add (global.get $line) (i32.const 1)))
        (local.set $eol (local.get $p))
        (block $found
          (loop $scan
            (br_if $found (i32.ge_u (local.get $eol) (local.get $end)))
            (br_if $found (i32.eq (i32.load8_u (local.get $eol)) (i32.const 10)))
            (local.set $eol (i32.add (local.get $eol) (i32.const 1)))
            (br $scan)))
        ;; A trailing carriage return (CRLF files) is not part of the line.
        (if (i32.and (i32.gt_u (local.get $eol) (local.get $p))
                     (i32.eq (i32.load8_u (i32.sub (local.get $eol) (i32.const 1))) (i32.const 13)))
          (then (i32.store8 (i32.sub (local.get $eol) (i32.const 1)) (i32.const 32))))
        (local.set $p (call $skip_spaces (local.get $p) (local.get $eol)))
        (if (i32.and (i32.lt_u (local.get $p) (local.get $eol)) (i32.ne (i32.load8_u (local.get $p)) (i32.const 35)))
          (then
            (local.set $w (call $word_end (local.get $p) (local.get $eol)))
            (call $command (local.get $p) (local.get $w) (local.get $eol))))
        (local.set $p (i32.add (local.get $eol) (i32.const 1)))
        (br $lines)))))
