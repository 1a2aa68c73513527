/**
 * Invalid UTF-8 output (issue 13.3): 3 MB of bytes that are not UTF-8 on stdout and on
 * stderr, at the default output caps. Each invalid byte becomes U+FFFD (3 bytes), so the
 * text is cut at the cap — in the worker, on bytes, in one pass. Before the fix the host
 * popped code points one by one and re-encoded each: 1.6–3.3 s of blocked event loop per
 * run. The result must be well-formed text within the caps, and the host responsive.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, memoryStorage, type Sandbox } from "../../src/index.js";
import { EVENT_LOOP_CEILING_MS, watchEventLoop } from "@llm-wasm-sandbox/vitest-config/event-loop-watch";

const BYTES = 3_000_000;
const STDOUT_CAP = 2_000_000; // the policy defaults
const STDERR_CAP = 1_000_000;

/** Per runtime: BYTES bytes that are not UTF-8, written to fd 1 and to fd 2. */
const ATTACKS: Record<string, string> = {
  python: `
import os
for fd in (1, 2):
    v = memoryview(b"\\xff" * ${BYTES})
    while v:
        v = v[os.write(fd, v):]`,
  // Lone surrogates: QuickJS writes them as 3-byte sequences no UTF-8 decoder accepts.
  javascript: `const s = "\\ud800".repeat(${BYTES / 3}); console.log(s); console.error(s);`,
  ruby: `s = "\\xff".b * ${BYTES}\n$stdout.syswrite(s)\n$stderr.syswrite(s)`,
  lua: `local s = string.rep("\\255", ${BYTES})\nio.stdout:write(s)\nio.stderr:write(s)`,
  wasm: `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 64)
  (func (export "_start")
    (memory.fill (i32.const 1024) (i32.const 255) (i32.const ${BYTES}))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const ${BYTES}))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 16)))))`,
};

const sandboxes: Sandbox[] = [];
afterAll(async () => {
  for (const sb of sandboxes) await sb.close();
});

describe.each(Object.keys(ATTACKS))("invalid UTF-8 output (%s)", (runtime) => {
  it("3 MB of non-UTF-8 bytes on stdout and stderr: well-formed text cut at the default caps, host responsive", { timeout: 120_000 }, async () => {
    const sb = await createSandbox({ runtime, storage: memoryStorage() });
    sandboxes.push(sb);
    await sb.execute(runtime === "wasm" ? '(module (memory 1) (func (export "_start")))' : ""); // warm the runtime first
    const { result: r, maxDelayMs } = await watchEventLoop(() => sb.execute(ATTACKS[runtime]!));
    expect(r.success, r.stderr.slice(-500)).toBe(true);
    for (const [text, cap, truncated] of [
      [r.stdout, STDOUT_CAP, r.stdoutTruncated],
      [r.stderr, STDERR_CAP, r.stderrTruncated],
    ] as const) {
      // Only replacement characters (and a trailing newline): well-formed text, cut on a character boundary at the cap.
      expect(text.replace(/\n$/, "").replaceAll("\uFFFD", "")).toBe("");
      const bytes = Buffer.byteLength(text);
      expect(bytes).toBeLessThanOrEqual(cap);
      expect(bytes).toBeGreaterThan(cap - 3);
      expect(truncated).toBe(true);
    }
    expect(maxDelayMs).toBeLessThan(EVENT_LOOP_CEILING_MS);
  });
});
