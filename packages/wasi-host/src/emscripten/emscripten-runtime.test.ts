import { describe, expect, it } from "vitest";
import { GuestMemory } from "./guest-memory.js";
import { createHeapImports } from "./heap.js";
import { createSjljImports, type SjljExports } from "./sjlj.js";
import { createTimeImports, formatTime } from "./time.js";

const MiB = 1024 * 1024;

describe("emscripten_resize_heap", () => {
  it("grows the capped memory and refuses past the cap", () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 64 });
    let hits = 0;
    const { emscripten_resize_heap: resize } = createHeapImports({ memory, capBytes: 4 * MiB, onLimitHit: () => hits++ });
    expect(resize(2 * MiB)).toBe(1);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(2 * MiB);
    expect(resize(5 * MiB)).toBe(0);
    expect(hits).toBe(1);
    expect(memory.buffer.byteLength).toBeLessThanOrEqual(4 * MiB);
  });
});

describe("invoke_* and longjmp", () => {
  function setup(fn: (a: number, b: number) => void) {
    const calls: string[] = [];
    const exports: SjljExports = {
      stackSave: () => 100,
      stackRestore: (sp) => calls.push(`restore ${sp}`),
      setThrew: (t, v) => calls.push(`threw ${t} ${v}`),
      __indirect_function_table: { get: () => fn } as unknown as WebAssembly.Table,
    };
    const imports = createSjljImports(["invoke_vii"], () => exports) as Record<string, (...a: number[]) => unknown>;
    return { imports, calls };
  }

  it("catches a longjmp, restores the stack pointer and sets __THREW__", () => {
    let throwLongjmp: () => void = () => undefined;
    const { imports, calls } = setup(() => throwLongjmp());
    throwLongjmp = imports._emscripten_throw_longjmp as () => void;
    imports.invoke_vii!(1, 2, 3);
    expect(calls).toEqual(["restore 100", "threw 1 0"]);
  });

  it("lets traps and exits through (fuel exhaustion is never swallowed)", () => {
    const { imports, calls } = setup(() => {
      throw new WebAssembly.RuntimeError("unreachable");
    });
    expect(() => imports.invoke_vii!(1, 2, 3)).toThrow(WebAssembly.RuntimeError);
    expect(calls).toEqual(["restore 100"]);
  });
});

describe("time imports", () => {
  const tm = { sec: 5, min: 4, hour: 15, mday: 2, mon: 0, year: 124, wday: 2, yday: 1 };

  it("formats strftime conversions in the C locale, UTC", () => {
    expect(formatTime("%Y-%m-%d %H:%M:%S", tm)).toBe("2024-01-02 15:04:05");
    expect(formatTime("%a %b %e %I%p %j %Z %z %%", tm)).toBe("Tue Jan  2 03PM 002 UTC +0000 %");
    expect(formatTime("%G-W%V-%u", tm)).toBe("2024-W01-2");
  });

  it("breaks times down in UTC and normalizes with mktime", () => {
    const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
    const clock = { realtimeNs: () => 0n, monotonicNs: () => 0n, fillRandom: () => undefined };
    const t = createTimeImports(mem, clock, () => undefined);
    t._gmtime_js(86_400n * 366n + 3600n, 64);
    expect([mem.i32(64 + 20), mem.i32(64 + 16), mem.i32(64 + 12), mem.i32(64 + 8)]).toEqual([71, 0, 2, 1]);
    mem.setI32(64 + 12, 33); // Jan 33 → Feb 2
    expect(t._mktime_js(64)).toBe(BigInt(Date.UTC(1971, 1, 2, 1) / 1000));
    expect(mem.i32(64 + 16)).toBe(1);
    const buf = 256;
    mem.setI32(128, 0);
    const n = t.strftime(buf, 64, (mem.writeCString(512, "%F", 8), 512), 64);
    expect(mem.cstring(buf)).toBe("1971-02-02");
    expect(n).toBe(10);
  });
});
