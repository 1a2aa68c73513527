import { describe, expect, it } from "vitest";
import { concatBytes } from "../wasm-binary/concat-bytes.js";
import { encodeULEB128 } from "../wasm-binary/leb128.js";
import { instrumentModule } from "./instrument-module.js";
import { MeterError } from "./meter-error.js";

/** V8's limit on one function body, in bytes. */
const V8_MAX_BODY_BYTES = 7_654_321;

/** A module of one `() -> ()` function whose body (locals included) is `body`. */
function moduleWithBody(body: Uint8Array): Uint8Array<ArrayBuffer> {
  const section = (id: number, payload: Uint8Array): Uint8Array => Uint8Array.from([id, ...encodeULEB128(payload.length), ...payload]);
  const size = encodeULEB128(body.length);
  const code = new Uint8Array(1 + size.length + body.length);
  code[0] = 1;
  code.set(size, 1);
  code.set(body, 1 + size.length);
  return concatBytes([
    Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00),
    section(1, Uint8Array.of(1, 0x60, 0, 0)),
    section(3, Uint8Array.of(1, 0)),
    Uint8Array.from([10, ...encodeULEB128(code.length)]),
    code,
  ]);
}

/** A body of no locals, then `n` copies of `code`, then `end`. */
function repeated(code: readonly number[], n: number): Uint8Array {
  const body = new Uint8Array(2 + n * code.length);
  for (let i = 0; i < n; i++) body.set(code, 1 + i * code.length);
  body[body.length - 1] = 0x0b;
  return body;
}

describe("engine limits the metered code must stay within", () => {
  it("V8 accepts a function body of up to 7,654,321 bytes", () => {
    expect(WebAssembly.validate(moduleWithBody(repeated([0x01], V8_MAX_BODY_BYTES - 2)))).toBe(true);
    expect(WebAssembly.validate(moduleWithBody(repeated([0x01], V8_MAX_BODY_BYTES - 1)))).toBe(false);
  });

  it("refuses a valid function that outgrows the limit once metered, naming it", () => {
    // `loop end` (3 bytes) gains a fuel check at its header (13 bytes).
    const bytes = moduleWithBody(repeated([0x03, 0x40, 0x0b], 480_000));
    expect(WebAssembly.validate(bytes)).toBe(true);
    let error: unknown;
    try {
      instrumentModule(bytes);
    } catch (e) {
      error = e;
    }
    expect(MeterError.isInstance(error)).toBe(true);
    const e = error as MeterError;
    expect(e.detail).toMatch(/^the function would be \d+ bytes once metered; the engine accepts at most 7654321$/);
    expect(e.functionIndex).toBe(0);
    expect(e.limitExceeded).toBe(false);
    const fits = instrumentModule(moduleWithBody(repeated([0x03, 0x40, 0x0b], 470_000)));
    expect(WebAssembly.validate(fits.bytes)).toBe(true);
  });
});
