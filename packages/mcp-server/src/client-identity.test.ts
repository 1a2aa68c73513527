import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientIdentity, hostProblem } from "./client-identity.js";

function req(headers: Record<string, string>, remoteAddress = "127.0.0.1"): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe("clientIdentity", () => {
  it("keys on the remote address without tokens (IPv4-mapped IPv6 is the same client)", () => {
    expect(clientIdentity(req({}, "::ffff:10.0.0.2"), [])).toBe(clientIdentity(req({}, "10.0.0.2"), []));
    expect(clientIdentity(req({}, "10.0.0.2"), [])).not.toBe(clientIdentity(req({}, "10.0.0.3"), []));
  });

  it("keys on the token, whatever the address, and refuses a wrong one", () => {
    const tokens = ["a".repeat(20), "b".repeat(20)];
    const a1 = clientIdentity(req({ authorization: `Bearer ${"a".repeat(20)}` }, "10.0.0.1"), tokens);
    const a2 = clientIdentity(req({ authorization: `Bearer ${"a".repeat(20)}` }, "10.0.0.9"), tokens);
    const b = clientIdentity(req({ authorization: `Bearer ${"b".repeat(20)}` }), tokens);
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b);
    expect(a1).not.toContain("a".repeat(20));
    expect(clientIdentity(req({ authorization: "Bearer nope" }), tokens)).toBeNull();
    expect(clientIdentity(req({}), tokens)).toBeNull();
  });
});

describe("hostProblem (DNS rebinding)", () => {
  it("accepts loopback names on a loopback server and refuses others", () => {
    for (const host of ["localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST"]) expect(hostProblem(req({ host }), "127.0.0.1", [])).toBeNull();
    expect(hostProblem(req({ host: "evil.example:8080" }), "127.0.0.1", [])).toContain("DNS rebinding");
    expect(hostProblem(req({}), "127.0.0.1", [])).toContain("missing Host");
    expect(hostProblem(req({ host: "box.lan:8080" }), "127.0.0.1", ["box.lan"])).toBeNull();
  });

  it("checks a public bind only against the listed hosts", () => {
    expect(hostProblem(req({ host: "anything" }), "0.0.0.0", [])).toBeNull();
    expect(hostProblem(req({ host: "evil.example" }), "0.0.0.0", ["mcp.example.com"])).not.toBeNull();
    expect(hostProblem(req({ host: "mcp.example.com:443" }), "0.0.0.0", ["mcp.example.com"])).toBeNull();
  });
});
