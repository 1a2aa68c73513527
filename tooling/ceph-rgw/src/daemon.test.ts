import { createServer } from "node:net";
import { expect, it } from "vitest";
import { freePorts } from "./daemon.js";

it("freePorts gives distinct ports, all free to listen on (picked one at a time, a released port came back about once in 8 000 pairs)", async () => {
  // 20 × 1 225 pairs: ports picked one at a time would repeat in ~95 % of such runs.
  for (let round = 0; round < 20; round++) {
    const ports = await freePorts(50);
    expect(new Set(ports).size).toBe(50);
  }
  const ports = await freePorts(3);
  const servers = ports.map(() => createServer());
  await Promise.all(servers.map((server, i) => new Promise<void>((resolve, reject) => server.once("error", reject).listen(ports[i], "127.0.0.1", resolve))));
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});
