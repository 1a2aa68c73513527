import ora from "ora";

/**
 * Shows a spinner on stderr while `work` runs, only when stderr is a terminal and
 * the work takes long enough to notice (a warm cache answers in milliseconds).
 */
export async function withSpinner<T>(text: string, work: () => Promise<T>): Promise<T> {
  if (!process.stderr.isTTY) return work();
  const spinner = ora({ text, stream: process.stderr });
  const timer = setTimeout(() => spinner.start(), 300);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    if (spinner.isSpinning) spinner.stop();
  }
}
