import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** What one `execute_code` call came to, after retries. */
export interface Acknowledged {
  readonly key: string;
  readonly attempts: number;
  /** From the first attempt to the acknowledgement. */
  readonly ms: number;
  readonly replayed: boolean;
  /** Why each failed attempt failed (shortened), for the test's diagnostics. */
  readonly failures: readonly string[];
}

/**
 * An MCP client as an agent behind a load balancer should be written: each call
 * carries an idempotency key, and any failure — a dead server (reset, 502/503), a
 * session the new server does not know, a session in use or changed meanwhile —
 * is retried with the SAME key on a fresh connection, until acknowledged.
 */
export class RetryingClient {
  #client: Client | null = null;
  readonly #url: URL;

  constructor(url: string) {
    this.#url = new URL(url);
  }

  async execute(args: { code: string; language: string; session_id: string; idempotency_key: string }, maxAttempts = 60): Promise<Acknowledged> {
    let lastError = "";
    const failures: string[] = [];
    const started = Date.now();
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const client = await this.#connect();
        const r = (await client.callTool({ name: "execute_code", arguments: args })) as CallToolResult;
        const data = (r.structuredContent ?? {}) as { success?: boolean; notes?: string[] };
        const text = r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
        if (!r.isError && data.success === true) {
          return { key: args.idempotency_key, attempts: attempt, ms: Date.now() - started, replayed: (data.notes ?? []).some((n) => n.startsWith("replayed:")), failures };
        }
        lastError = text.slice(0, 300);
      } catch (e) {
        lastError = String(e).slice(0, 300);
        await this.#drop();
      }
      failures.push(`${Date.now() - started} ms: ${lastError.slice(0, 160)}`);
      await new Promise((r) => setTimeout(r, Math.min(1000, 50 * attempt) + Math.random() * 100));
    }
    throw new Error(`${args.idempotency_key}: not acknowledged after ${maxAttempts} attempts: ${lastError}`);
  }

  async close(): Promise<void> {
    await this.#drop();
  }

  async #connect(): Promise<Client> {
    if (this.#client) return this.#client;
    const client = new Client({ name: "scale-out", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(this.#url));
    this.#client = client;
    return client;
  }

  async #drop(): Promise<void> {
    const c = this.#client;
    this.#client = null;
    await c?.close().catch(() => undefined);
  }
}
