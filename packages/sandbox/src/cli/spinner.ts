import ora from "ora";

/** The part of a stream the spinner looks at (process.stderr, or a test double). */
export interface SpinnerStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

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
 * Shows a spinner on `stream` while `work` runs, only when it can animate there and the
 * work takes long enough to notice (a warm cache answers in milliseconds).
 */
export async function withSpinner<T>(text: string, work: () => Promise<T>, stream: SpinnerStream = process.stderr): Promise<T> {
  if (!canAnimate(stream)) return work();
  // discardStdin: false — the program may be read from stdin, and raw mode would swallow Ctrl+C.
  const spinner = ora({ text, stream, discardStdin: false });
  const timer = setTimeout(() => spinner.start(), 300);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    if (spinner.isSpinning) spinner.stop();
  }
}
