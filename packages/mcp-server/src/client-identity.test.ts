import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { addressKey, clientIdentity, hostProblem } from "./client-identity.js";

function req(headers: Record<string, string>, remoteAddress = "127.0.0.1"): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe("clientIdentity", () => {
  it("keys on the remote address without tokens (IPv4-mapped IPv6 is the same client)", () => {
    expect(clientIdentity(req({}, "::ffff:10.0.0.2"), [])).toBe(clientIdentity(req({}, "10.0.0.2"), []));
    expect(clientIdentity(req({}, "10.0.0.2"), [])).not.toBe(clientIdentity(req({}, "10.0.0.3"), []));
  });

  it("an IPv6 client is its /64: rotating addresses inside it buys no extra budget", () => {
    const one = clientIdentity(req({}, "2001:db8:1:2::1"), []);
    for (const addr of ["2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0db8:0001:0002:0:0:0:7", "2001:DB8:1:2::a:b", "2001:db8:1:2::1%eth0"]) {
      expect(clientIdentity(req({}, addr), [])).toBe(one);
    }
    expect(clientIdentity(req({}, "2001:db8:1:3::1"), [])).not.toBe(one);
    expect(addressKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("64:ff9b::192.0.2.33")).toBe("64:ff9b:0:0::/64");
    expect(addressKey("::ffff:10.0.0.2")).toBe("10.0.0.2");
    expect(addressKey("10.0.0.2")).toBe("10.0.0.2");
    expect(addressKey("unknown")).toBe("unknown");
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
