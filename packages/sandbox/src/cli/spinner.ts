import type { Ora } from "ora";

/** The part of a stream the spinner looks at (process.stderr, or a test double). */
export interface SpinnerStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** A spinner that may be showing; `stop()` clears it (idempotent). */
export interface SpinnerHandle {
  stop(): void;
}

/** Delay before a spinner appears: a warm cache answers in milliseconds. */
const SHOW_AFTER_MS = 300;

/**
 * True when a spinner may animate on `stream`: a real terminal with a known, nonzero
 * width, not a dumb one. Some pseudo-terminals report `columns === 0`; ora then divides by
 * zero while clearing its line and writes escape codes in a synchronous loop that never
 * yields (not even to SIGTERM), so such a stream gets no spinner at all.
 */
export function canAnimate(stream: SpinnerStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && Number.isInteger(stream.columns) && (stream.columns ?? 0) > 0 && env.TERM !== "dumb" && !env.CI;
}

/**
 * Shows a spinner on `stream` until `stop()`, only when it can animate there and only
 * once `SHOW_AFTER_MS` passed (quick work shows nothing). Stop it before writing anything
 * else to the terminal (e.g. the first chunk of a program's output). The spinner library
 * (and the dozen modules it pulls in) is loaded only for a terminal, while the delay runs:
 * a CLI run whose output is piped never pays for it.
 */
export function startSpinner(text: string, stream: SpinnerStream = process.stderr): SpinnerHandle {
  if (!canAnimate(stream)) return { stop: () => {} };
  let stopped = false;
  let spinner: Ora | null = null;
  const loading = import("ora");
  const timer = setTimeout(() => {
    void loading.then(({ default: ora }) => {
      // discardStdin: false — the program may be read from stdin, and raw mode would swallow Ctrl+C.
      if (!stopped) spinner = ora({ text, stream, discardStdin: false }).start();
    });
  }, SHOW_AFTER_MS);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (spinner?.isSpinning) spinner.stop();
    },
  };
}
