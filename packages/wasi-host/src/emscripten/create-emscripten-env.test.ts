import { parse } from "@bytecodealliance/jco";
import { describe, expect, it, vi } from "vitest";
import { ProcExit, type GuestContext } from "../types.js";
import { createVirtualFs } from "../vfs/index.js";
import { createEmscriptenEnv } from "./index.js";

const dec = new TextDecoder();

/** A minimal GuestContext around a WAT module that imports its memory as env.memory. */
async function context(wat: string, env: Record<string, string> = {}) {
  const module = await WebAssembly.compile((await parse(wat)) as Uint8Array<ArrayBuffer>);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const out: string[] = [];
  let limitHit = false;
  const ctx = {
    module,
    image: { name: "test.wasm" },
    memory,
    wasiImports: {},
    clock: { realtimeNs: () => 1_700_000_000_000_000_000n, monotonicNs: () => 0n, fillRandom: () => undefined },
    limits: { memoryBytes: 4 * 65536 },
    argv: [],
    env,
    data: null,
    instantiate: (imports: WebAssembly.Imports) => new WebAssembly.Instance(module, { ...imports, env: { ...imports.env, memory } }),
    writeStdout: (b: Uint8Array) => out.push(dec.decode(b)),
    writeStderr: () => undefined,
    fs: createVirtualFs(),
    stdin: new Uint8Array(0),
    noteMemoryLimitHit: () => {
      limitHit = true;
    },
    fuelRemaining: () => 1e9,
  } as unknown as GuestContext;
  return { ctx, out, limitHit: () => limitHit };
}

const PRELUDE = `
  (import "env" "memory" (memory 1))
  (import "env" "__syscall_openat" (func $openat (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (import "env" "emscripten_resize_heap" (func $resize (param i32) (result i32)))
  (import "env" "exit" (func $exit (param i32)))
  (data (i32.const 16) "/app/x.txt\\00")
  (data (i32.const 32) "hi\\n")
  (data (i32.const 48) "\\20\\00\\00\\00\\03\\00\\00\\00")`;

describe("createEmscriptenEnv", () => {
  it("wires a module's file syscalls to the VirtualFs and fd 1 to stdout", async () => {
    const { ctx, out } = await context(`(module ${PRELUDE}
      (func (export "main") (result i32) (local $fd i32)
        (local.set $fd (call $openat (i32.const -100) (i32.const 16) (i32.const 577) (i32.const 0)))
        (drop (call $write (local.get $fd) (i32.const 48) (i32.const 1) (i32.const 64)))
        (drop (call $write (i32.const 1) (i32.const 48) (i32.const 1) (i32.const 64)))
        (call $close (local.get $fd))))`);
    const em = createEmscriptenEnv(ctx);
    const instance = ctx.instantiate(em.imports);
    em.attach(instance);
    expect((instance.exports.main as () => number)()).toBe(0);
    expect(out).toEqual(["hi\n"]);
    const entry = ctx.fs.journal().entries[0];
    expect(entry?.path).toBe("x.txt");
    expect(entry?.op === "write" && dec.decode(entry.data)).toBe("hi\n");
  });

  it("grows memory up to the cap, then refuses and records the limit", async () => {
    const { ctx, limitHit } = await context(`(module ${PRELUDE}
      (func (export "grow") (param i32) (result i32) (call $resize (local.get 0))))`);
    const em = createEmscriptenEnv(ctx);
    const grow = ctx.instantiate(em.imports).exports.grow as (n: number) => number;
    expect(grow(3 * 65536)).toBe(1);
    expect(limitHit()).toBe(false);
    expect(grow(5 * 65536)).toBe(0);
    expect(limitHit()).toBe(true);
  });

  it("turns exit(n) into ProcExit", async () => {
    const { ctx } = await context(`(module ${PRELUDE} (func (export "main") (call $exit (i32.const 5))))`);
    const em = createEmscriptenEnv(ctx);
    const main = ctx.instantiate(em.imports).exports.main as () => void;
    let caught: unknown;
    try {
      main();
    } catch (e) {
      caught = e;
    }
    expect(ProcExit.isInstance(caught) && caught.exitCode).toBe(5);
  });

  it("names imports it does not provide instead of failing at the first odd syscall", async () => {
    const { ctx } = await context(`(module (import "env" "memory" (memory 1)) (import "env" "__syscall_not_emscripten" (func (param i32 i32 i32) (result i32))))`);
    expect(() => createEmscriptenEnv(ctx)).toThrow(/env\.__syscall_not_emscripten/);
  });

  it("lets the runtime supply what it lacks through provide and fallback", async () => {
    const wat = `(module (import "env" "memory" (memory 1)) (import "env" "js_only" (func (result i32))) (import "env" "own" (func (result i32))) (import "GOT.func" "f" (global (mut i32))))`;
    const { ctx } = await context(wat);
    const asked: string[] = [];
    const env = createEmscriptenEnv(ctx, {
      provide: { env: { own: () => 7 } },
      fallback: (module, name, kind) => {
        asked.push(`${module}.${name}:${kind}`);
        return kind === "global" ? new WebAssembly.Global({ value: "i32", mutable: true }, 0) : () => -1;
      },
    });
    expect(asked).toEqual(["env.js_only:function", "GOT.func.f:global"]);
    expect((env.imports.env as Record<string, () => number>).own!()).toBe(7);
    expect(env.imports["GOT.func"]).toHaveProperty("f");
  });

  it("lists a metered image's imports once per thread, though each run's module is a new object", async () => {
    const image = { name: "test.wasm", hash: "a".repeat(64), memory: { module: "env", name: "memory" }, fuelExport: "fuel", growFailedExport: "grow" };
    const wat = (extra: string) => `(module (import "env" "memory" (memory 1)) (import "env" "exit" (func (param i32))) ${extra})`;
    const first = (await context(wat(""))).ctx;
    // The same bytes again: a run's module arrives as a new object (a structured clone).
    const again = (await context(wat(""))).ctx;
    // Another image (another hash) with an import the first one lacks: never given the first one's list.
    const other = (await context(wat(`(import "env" "own" (func (result i32)))`))).ctx;
    const listed = vi.spyOn(WebAssembly.Module, "imports");
    try {
      createEmscriptenEnv({ ...first, image } as GuestContext);
      createEmscriptenEnv({ ...again, image } as GuestContext);
      expect(listed).toHaveBeenCalledTimes(1);
      const env = createEmscriptenEnv({ ...other, image: { ...image, hash: "b".repeat(64) } } as GuestContext, { provide: { env: { own: () => 7 } } });
      expect(listed).toHaveBeenCalledTimes(2);
      expect(env.imports.env).toHaveProperty("own");
    } finally {
      listed.mockRestore();
    }
  });

  it("rebinds to another run's world: its files, output, fresh fds; nothing of the first world stays reachable", async () => {
    const wat = `(module ${PRELUDE}
      (func (export "open") (result i32) (call $openat (i32.const -100) (i32.const 16) (i32.const 577) (i32.const 0)))
      (func (export "write") (param $fd i32) (result i32) (call $write (local.get $fd) (i32.const 48) (i32.const 1) (i32.const 64))))`;
    const first = await context(wat);
    const em = createEmscriptenEnv(first.ctx);
    const instance = first.ctx.instantiate(em.imports);
    em.attach(instance);
    const open = instance.exports.open as () => number;
    const write = instance.exports.write as (fd: number) => number;
    expect(open()).toBe(3);
    const second = await context(wat);
    const next = { ...second.ctx, memory: first.ctx.memory } as GuestContext;
    em.rebind(next);
    expect(em.openFds()).toEqual([0, 1, 2]);
    // fd 3 was the first world's file: gone.
    expect(write(3)).not.toBe(0);
    expect(open()).toBe(3);
    expect([write(3), write(1)]).toEqual([0, 0]);
    const text = (c: GuestContext): string => {
      const inode = c.fs.lookup("/app/x.txt").inode;
      return inode !== null && inode.kind === "file" ? dec.decode(inode.bytes()) : "(none)";
    };
    expect([text(next), text(first.ctx)]).toEqual(["hi\n", ""]);
    expect([second.out, first.out]).toEqual([["hi\n"], []]);
  });

  it("refuses to rebind to a run with another memory, cap or program name", async () => {
    const { ctx } = await context(`(module ${PRELUDE})`);
    const em = createEmscriptenEnv(ctx);
    const other = await context(`(module ${PRELUDE})`);
    expect(() => em.rebind(other.ctx)).toThrow(TypeError);
    expect(() => em.rebind({ ...ctx, limits: { ...ctx.limits, memoryBytes: 2 * 65536 } } as GuestContext)).toThrow(TypeError);
    expect(() => em.rebind({ ...ctx, argv: ["other"] } as GuestContext)).toThrow(TypeError);
  });
});
