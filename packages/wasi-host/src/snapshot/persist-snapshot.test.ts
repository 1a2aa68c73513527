import { describe, expect, it } from "vitest";
import { snapshotKey } from "./persist-snapshot.js";

const parts = { imageHash: "a".repeat(64), meterVersion: 5, runtime: "@x/runtime@1.0.0", specKey: "x:1", driverData: { mode: "snapshot" } };

describe("snapshotKey", () => {
  it("does not depend on the order the key's parts were written in (the image's preparer builds them separately)", async () => {
    const { driverData, specKey, runtime, meterVersion, imageHash } = parts;
    const reordered = { driverData, specKey, runtime, meterVersion, imageHash };
    expect(snapshotKey(reordered, import.meta.url)).toBe(snapshotKey(parts, import.meta.url));
  });

  it("changes with the image's hash", async () => {
    expect(snapshotKey({ ...parts, imageHash: "b".repeat(64) }, import.meta.url)).not.toBe(snapshotKey(parts, import.meta.url));
  });
});
