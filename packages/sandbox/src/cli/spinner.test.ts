import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { canAnimate, type SpinnerStream, startSpinner } from "./spinner.js";

function fakeTerminal(columns: number | undefined, isTTY = true): { stream: SpinnerStream; written: () => number } {
  const stream = Object.assign(new PassThrough(), { isTTY, columns, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let bytes = 0;
  stream.on("data", (d: Buffer) => (bytes += d.byteLength));
  return { stream, written: () => bytes };
}

const slowWork = () => new Promise<string>((r) => setTimeout(() => r("done"), 700));

async function withSpinner<T>(text: string, work: () => Promise<T>, stream: SpinnerStream): Promise<T> {
  const spinner = startSpinner(text, stream);
  try {
    return await work();
  } finally {
    spinner.stop();
  }
}

describe("startSpinner", () => {
  it("never animates on a terminal that reports 0 columns (ora divided by zero there and looped forever)", async () => {
    const term = fakeTerminal(0);
    expect(canAnimate(term.stream, {})).toBe(false);
    await expect(withSpinner("preparing", slowWork, term.stream)).resolves.toBe("done");
    expect(term.written()).toBe(0);
  });

  it("does not animate without a TTY, without a width, or on a dumb terminal", () => {
    expect(canAnimate(fakeTerminal(80, false).stream, {})).toBe(false);
    expect(canAnimate(fakeTerminal(undefined).stream, {})).toBe(false);
    expect(canAnimate(fakeTerminal(80).stream, { TERM: "dumb" })).toBe(false);
  });

  it("animates on a real-looking terminal once the work is slow enough to notice", async () => {
    const term = fakeTerminal(80);
    expect(canAnimate(term.stream, {})).toBe(true);
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      // Work that lasts until the spinner has drawn (no race against the delay).
      await withSpinner("preparing", () => new Promise<string>((r) => term.stream.once("data", () => r("done"))), term.stream);
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
    expect(term.written()).toBeGreaterThan(0);
  });
});
