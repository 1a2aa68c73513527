import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** What the proxy does with one request. */
export type FaultAction =
  /** Forward it and its reply unchanged. */
  | { readonly kind: "forward" }
  /** Forward it, let the server apply it, then cut the client connection instead of replying (a lost reply). */
  | { readonly kind: "drop-reply" }
  /** Reset the client connection before forwarding anything (the server never sees it). */
  | { readonly kind: "reset" }
  /** Forward it, and hold the reply back for `ms`. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Answer 500 InternalError without forwarding. */
  | { readonly kind: "error-500" }
  /** Hold the request (unforwarded) until `until` settles: then forward it, or reset the connection. */
  | { readonly kind: "hold"; readonly until: Promise<"forward" | "reset"> };

/** A request as the rule sees it. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** Request headers (lower-case names). */
  readonly headers: IncomingMessage["headers"];
  /** 1-based count of requests seen so far. */
  readonly n: number;
}

/** A loopback HTTP proxy in front of an S3 endpoint that injects faults chosen per request. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: point the S3 client here. */
  readonly endpoint: string;
  /** Every request with the action taken, in order. */
  readonly log: ReadonlyArray<ProxiedRequest & { readonly action: FaultAction["kind"] }>;
  /** Replaces the rule (default: forward everything). */
  setRule(rule: (req: ProxiedRequest) => FaultAction): void;
  close(): Promise<void>;
}

/**
 * Starts the proxy on 127.0.0.1 (random port). It speaks plain HTTP/1.1 and
 * forwards byte-for-byte (the Host header too, so request signatures stay valid).
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rule: (req: ProxiedRequest) => FaultAction = () => ({ kind: "forward" });
  const log: Array<ProxiedRequest & { action: FaultAction["kind"] }> = [];
  let n = 0;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const seen: ProxiedRequest = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, n: ++n };
    const action = rule(seen);
    log.push({ ...seen, action: action.kind });
    if (action.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (action.kind === "hold") {
      // Buffer the body now, so that the request can be forwarded whole later (even after the client died).
      const body: Buffer[] = [];
      req.on("data", (c: Buffer) => body.push(c));
      req.on("end", () => {
        void action.until.then((next) => {
          if (next === "reset") req.socket.destroy();
          else forward(req, res, { kind: "forward" }, Buffer.concat(body));
        });
      });
      return;
    }
    if (action.kind === "error-500") {
      req.resume();
      res.writeHead(500, { "content-type": "application/xml" }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected</Message></Error>');
      return;
    }
    forward(req, res, action);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, action: FaultAction, body?: Buffer): void => {
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      // An upstream reply cut short (its server died mid-stream) cuts the client's too, as a direct connection would.
      up.on("aborted", () => req.socket.destroy());
      up.on("error", () => req.socket.destroy());
      if (action.kind === "drop-reply") {
        // Let the server finish (the request took effect), then lose the reply.
        up.resume();
        up.on("end", () => req.socket.destroy());
        return;
      }
      const reply = (): void => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      };
      if (action.kind === "delay") {
        up.pause();
        setTimeout(reply, action.ms);
      } else reply();
    });
    out.on("error", () => req.socket.destroy());
    if (body) out.end(body);
    else req.pipe(out);
  };

  const server: Server = createServer(handle);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    setRule(next) {
      rule = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
