/**
 * WAT programs for the conformance suite and the engine tests. Each is a WASI preview1
 * command built around the same small prelude: `$print`/`$eprint` write bytes to
 * stdout/stderr, `$open` opens a path under a preopened directory.
 */
import { readFileSync } from "node:fs";

/** The source of one of the shipped examples (`examples/<name>.wat`). */
export function example(name: string): string {
  return readFileSync(new URL(`../examples/${name}.wat`, import.meta.url), "utf8");
}

const PRELUDE = `
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $print (param i32 i32) (call $write (i32.const 1) (local.get 0) (local.get 1)))
  (func $eprint (param i32 i32) (call $write (i32.const 2) (local.get 0) (local.get 1)))
  ;; Opens path (ptr,len) under dirfd with oflags and rights; returns the fd or -1.
  (func $open (param $dir i32) (param $ptr i32) (param $len i32) (param $oflags i32) (param $rights i64) (result i32)
    (if (result i32)
      (i32.eqz (call $path_open (local.get $dir) (i32.const 1) (local.get $ptr) (local.get $len)
        (local.get $oflags) (local.get $rights) (i64.const 0) (i32.const 0) (i32.const 16)))
      (then (i32.load (i32.const 16)))
      (else (i32.const -1))))
  ;; Reads up to 60000 bytes of fd into 4096 and prints them.
  (func $cat (param $fd i32)
    (i32.store (i32.const 24) (i32.const 4096))
    (i32.store (i32.const 28) (i32.const 60000))
    (if (i32.eqz (call $fd_read (local.get $fd) (i32.const 24) (i32.const 1) (i32.const 32)))
      (then (call $print (i32.const 4096) (i32.load (i32.const 32))))))
`;

/** A command module: the prelude, data segments (offsets from 1024 up) and `_start`'s body. */
export function program(data: Record<number, string>, start: string, extra = ""): string {
  const segments = Object.entries(data)
    .map(([at, text]) => `  (data (i32.const ${at}) "${text}")`)
    .join("\n");
  return `(module${PRELUDE}${segments}\n${extra}\n  (func (export "_start") ${start}))\n`;
}

/** WAT body that prints the whole environment, one NAME=value per line. */
export const PRINT_ENV_BODY = `(local $i i32) (local $size i32)
  (drop (call $environ_sizes_get (i32.const 40) (i32.const 44)))
  (local.set $size (i32.load (i32.const 44)))
  (drop (call $environ_get (i32.const 2048) (i32.const 8192)))
  (block $done (loop $scan
    (br_if $done (i32.ge_u (local.get $i) (local.get $size)))
    (if (i32.eqz (i32.load8_u (i32.add (i32.const 8192) (local.get $i))))
      (then (i32.store8 (i32.add (i32.const 8192) (local.get $i)) (i32.const 10))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $scan)))
  (call $print (i32.const 8192) (local.get $size))`;

/** Rights bits of path_open: fd_read (1<<1), fd_write (1<<6). */
const READ = "(i64.const 2)";
const WRITE = "(i64.const 64)";

/** The conformance snippets (see RuntimeSnippets in the testkit). */
export const snippets = {
  hello: program({ 1024: "conformance-hello\\n" }, "(call $print (i32.const 1024) (i32.const 18))"),
  infiniteLoop: '(module (func (export "_start") (loop $forever (br $forever))))',
  allocateTooMuch: program(
    { 1024: "ALLOCATED\\n", 1040: "memory.grow refused\\n" },
    `(if (i32.eq (memory.grow (i32.const 8192)) (i32.const -1))
       (then (call $eprint (i32.const 1040) (i32.const 20)) (call $proc_exit (i32.const 1))))
     (call $print (i32.const 1024) (i32.const 10))`,
  ),
  printMany: program(
    {},
    `(local $i i32)
     (memory.fill (i32.const 1024) (i32.const 120) (i32.const 100))
     (loop $more
       (call $print (i32.const 1024) (i32.const 100))
       (local.set $i (i32.add (local.get $i) (i32.const 1)))
       (br_if $more (i32.lt_u (local.get $i) (i32.const 2000))))`,
  ),
  writeFile: program(
    { 1024: "out.txt", 1040: "conformance-data" },
    `(local $fd i32)
     (local.set $fd (call $open (i32.const 3) (i32.const 1024) (i32.const 7) (i32.const 9) ${WRITE}))
     (if (i32.lt_s (local.get $fd) (i32.const 0)) (then (call $proc_exit (i32.const 1))))
     (call $write (local.get $fd) (i32.const 1040) (i32.const 16))`,
  ),
  readFile: program(
    { 1024: "in.txt" },
    `(local $fd i32)
     (local.set $fd (call $open (i32.const 3) (i32.const 1024) (i32.const 6) (i32.const 0) ${READ}))
     (if (i32.lt_s (local.get $fd) (i32.const 0)) (then (call $proc_exit (i32.const 1))))
     (call $cat (local.get $fd))`,
  ),
  // fd 4 is the read-only "/" preopen, fd 3 is /app: neither reaches the host's /etc.
  readEtcPasswd: program(
    { 1024: "etc/passwd", 1040: "../../etc/passwd", 1072: "denied\\n" },
    `(local $fd i32)
     (local.set $fd (call $open (i32.const 4) (i32.const 1024) (i32.const 10) (i32.const 0) ${READ}))
     (if (i32.ge_s (local.get $fd) (i32.const 0)) (then (call $cat (local.get $fd))) (else (call $print (i32.const 1072) (i32.const 7))))
     (local.set $fd (call $open (i32.const 3) (i32.const 1040) (i32.const 16) (i32.const 0) ${READ}))
     (if (i32.ge_s (local.get $fd) (i32.const 0)) (then (call $cat (local.get $fd))) (else (call $print (i32.const 1072) (i32.const 7))))`,
  ),
  // Prints the whole environment, one NAME=value per line.
  printEnv: program(
    {},
    PRINT_ENV_BODY,
  ),
  syntaxError: '(module\n  (func (export "_start")\n    (i32.const 1\n',
  throwError: program({ 1024: "conformance-boom\\n" }, "(call $eprint (i32.const 1024) (i32.const 17)) (call $proc_exit (i32.const 1))"),
  cpuWork: example("fibonacci"),
  deepRecursion: '(module (func $down (param i32) (result i32) (i32.add (i32.const 1) (call $down (local.get 0)))) (func (export "_start") (drop (call $down (i32.const 0)))))',
} as const;
