import { expect, it } from "vitest";
import { startCephRgw } from "./ceph-cluster.js";
import { startFaultProxy } from "./fault-proxy.js";

it("starts a one-node Ceph RGW serving S3 on 127.0.0.1, injects a fault through the proxy, and stops leaving nothing behind", async () => {
  const ceph = await startCephRgw();
  try {
    const anonymous = await fetch(ceph.endpoint);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toContain("ListAllMyBucketsResult");
    const proxy = await startFaultProxy(ceph.endpoint);
    proxy.setRule((r) => (r.n === 1 ? { kind: "error-500" } : { kind: "forward" }));
    expect((await fetch(proxy.endpoint)).status).toBe(500);
    expect((await fetch(proxy.endpoint)).status).toBe(200);
    expect(proxy.log.map((r) => r.action)).toEqual(["error-500", "forward"]);
    await proxy.close();
  } finally {
    await ceph.stop();
  }
  await expect(fetch(ceph.endpoint)).rejects.toThrow();
}, 180_000);
