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

/**
 * Tells the client what a long tool call is doing: `notifications/progress` when the
 * request carried a progress token (clients may reset their request timeout on each), and
 * one `notifications/message` log line per phase that takes long enough to notice (e.g.
 * a runtime being prepared for the first time). Quick calls send nothing. Notifications
 * travel with the request (on HTTP, in its own SSE stream).
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

  constructor(extra: Extra, logger: Logger, timing: ProgressTiming = DEFAULT_TIMING) {
    this.#extra = extra;
    this.#logger = logger;
    this.#timing = timing;
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
