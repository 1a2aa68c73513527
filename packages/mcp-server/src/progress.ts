import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** When progress is reported: a first notice after `firstMs`, then every `everyMs`. */
export interface ProgressTiming {
  readonly firstMs: number;
  readonly everyMs: number;
}

const DEFAULT_TIMING: ProgressTiming = { firstMs: 400, everyMs: 1000 };
/** Output characters forwarded as progress per call, at most (stdout and stderr together). */
export const DEFAULT_OUTPUT_BUDGET_CHARS = 20_000;

/**
 * Tells the client what a long tool call is doing: `notifications/progress` when the
 * request carried a progress token (clients may reset their request timeout on each), and
 * one `notifications/message` log line per phase that takes long enough to notice (e.g.
 * a runtime being prepared for the first time), and the program's output as it is written
 * (`output`), when the client asked for progress. Quick, quiet calls send nothing.
 * Notifications travel with the request (on HTTP, in its own SSE stream).
 */
export class ToolProgress {
  readonly #extra: Extra;
  readonly #logger: Logger;
  readonly #timing: ProgressTiming;
  #phase = "";
  #phaseAt = Date.now();
  #phaseLogged = false;
  #count = 0;
  #timer: NodeJS.Timeout | null = null;
  /** Output characters still to forward; the rest comes with the result only. */
  #outputBudget: number;

  constructor(extra: Extra, logger: Logger, timing: ProgressTiming = DEFAULT_TIMING, outputBudgetChars = DEFAULT_OUTPUT_BUDGET_CHARS) {
    this.#extra = extra;
    this.#logger = logger;
    this.#timing = timing;
    this.#outputBudget = outputBudgetChars;
  }

  /** True when the client asked for progress (sent a progress token): only then is output forwarded. */
  get wanted(): boolean {
    return this.#extra._meta?.progressToken !== undefined;
  }

  /**
   * Forwards program output as it is written, as progress notifications whose message is
   * `stdout: TEXT` / `stderr: TEXT` (the client shows a long run's lines while it runs).
   * At most the output budget is forwarded per call, then one notice that the rest comes
   * with the result: a program printing megabytes does not flood the client.
   */
  output(stream: "stdout" | "stderr", text: string): void {
    if (!this.wanted || this.#outputBudget <= 0) return;
    const part = text.length > this.#outputBudget ? text.slice(0, this.#outputBudget) : text;
    this.#outputBudget -= part.length;
    void this.#progress(`${stream}: ${part}`);
    if (this.#outputBudget <= 0) void this.#progress("(more output follows; the whole of it comes with the result)");
  }

  /** Enters a phase ("preparing the python runtime…"); reported only if it lasts. */
  phase(message: string): void {
    this.#phase = message;
    this.#phaseAt = Date.now();
    this.#phaseLogged = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), this.#timing.firstMs);
  }

  /** Sends a progress notification now (e.g. a chunk of output). */
  notify(message: string): void {
    void this.#progress(message);
  }

  /** Stops reporting. */
  end(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #tick(): void {
    const phaseSeconds = ((Date.now() - this.#phaseAt) / 1000).toFixed(1);
    if (!this.#phaseLogged) {
      this.#phaseLogged = true;
      this.#logger.info({ event: "mcp.progress", phase: this.#phase, requestId: this.#extra.requestId }, this.#phase);
      void this.#extra
        .sendNotification({ method: "notifications/message", params: { level: "info", logger: "llm-wasm-sandbox", data: this.#phase } })
        .catch(() => {});
    }
    void this.#progress(`${this.#phase} (${phaseSeconds} s)`);
    this.#timer = setTimeout(() => this.#tick(), this.#timing.everyMs);
  }

  async #progress(message: string): Promise<void> {
    const token = this.#extra._meta?.progressToken;
    if (token === undefined || this.#extra.signal.aborted) return;
    this.#count++;
    await this.#extra
      .sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: this.#count, message } })
      .catch(() => {});
  }
}
