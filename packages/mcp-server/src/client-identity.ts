import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/**
 * Who an HTTP request comes from, for limits: the bearer token it proved (each configured
 * token is one client), else its remote address. Never the MCP session id — a client can
 * open as many of those as it likes.
 * Returns null when tokens are configured and the request carries none of them.
 */
export function clientIdentity(req: IncomingMessage, tokens: readonly string[]): string | null {
  if (tokens.length === 0) return `addr:${normalizeAddress(req.socket.remoteAddress ?? "unknown")}`;
  const got = Buffer.from(header(req, "authorization") ?? "");
  let match: string | null = null;
  for (const token of tokens) {
    const want = Buffer.from(`Bearer ${token}`);
    // Compare against every token (no early exit) so timing does not tell which one nearly matched.
    if (got.length === want.length && timingSafeEqual(got, want)) match = token;
  }
  return match === null ? null : `token:${createHash("sha256").update(match).digest("hex").slice(0, 12)}`;
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function normalizeAddress(addr: string): string {
  return addr.startsWith("::ffff:") && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The Host header check against DNS rebinding: a page on evil.example that re-resolves its
 * name to 127.0.0.1 reaches a loopback server with `Host: evil.example`. When the server is
 * bound to loopback (or hosts were listed), only the loopback names, the bind address and
 * the listed hosts are accepted. Returns null when the header is acceptable, else why not.
 */
export function hostProblem(req: IncomingMessage, bindHost: string, allowedHosts: readonly string[]): string | null {
  if (!isLoopback(bindHost) && allowedHosts.length === 0) return null;
  const raw = header(req, "host");
  if (!raw) return "missing Host header";
  const name = hostName(raw).toLowerCase();
  const allowed = new Set([...(isLoopback(bindHost) ? LOOPBACK_NAMES : []), bindHost.toLowerCase(), ...allowedHosts.map((h) => hostName(h).toLowerCase())]);
  return allowed.has(name) ? null : `Host "${raw.slice(0, 100)}" is not allowed (DNS rebinding protection); start the server with --allowed-host ${hostName(raw).slice(0, 100)} if it is yours`;
}

/** `[::1]:8080` → `::1`, `localhost:8080` → `localhost`. */
function hostName(hostHeader: string): string {
  if (hostHeader.startsWith("[")) {
    const end = hostHeader.indexOf("]");
    return end === -1 ? hostHeader : hostHeader.slice(1, end);
  }
  const colon = hostHeader.indexOf(":");
  return colon === -1 ? hostHeader : hostHeader.slice(0, colon);
}

/** A request header's first value. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
