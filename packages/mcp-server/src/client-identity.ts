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
  if (tokens.length === 0) return `addr:${addressKey(req.socket.remoteAddress ?? "unknown")}`;
  const got = Buffer.from(header(req, "authorization") ?? "");
  let match: string | null = null;
  for (const token of tokens) {
    const want = Buffer.from(`Bearer ${token}`);
    // Compare against every token (no early exit) so timing does not tell which one nearly matched.
    if (got.length === want.length && timingSafeEqual(got, want)) match = token;
  }
  return match === null ? null : `token:${createHash("sha256").update(match).digest("hex").slice(0, 12)}`;
}

/**
 * The part of a remote address one client controls, for per-address limits: an IPv4
 * address (`::ffff:10.0.0.2` is `10.0.0.2`), or an IPv6 address's /64 — the prefix a
 * network hands one subscriber, inside which a host picks any of 2^64 addresses at will
 * (privacy addresses rotate on their own), so keying on the full address would give one
 * client unlimited budgets.
 */
export function addressKey(addr: string): string {
  const bare = addr.replace(/%.*$/, ""); // zone id: fe80::1%eth0
  if (bare.toLowerCase().startsWith("::ffff:") && isIP(bare.slice(7)) === 4) return bare.slice(7);
  if (isIP(bare) !== 6) return bare;
  return `${ipv6Groups(bare).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, as lower-case hex without leading zeros. */
function ipv6Groups(addr: string): string[] {
  let text = addr.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => "0");
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
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
