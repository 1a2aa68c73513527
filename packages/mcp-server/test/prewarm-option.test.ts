import { describe, expect, it } from "vitest";
import { prewarmedRuntimes } from "../src/config.js";

describe("--prewarm", () => {
  it("pre-warms every offered runtime by default, except wasm and those not installed", () => {
    expect(prewarmedRuntimes({}, [{ language: "ruby" }])).toEqual(["python", "javascript", "lua"]);
    expect(prewarmedRuntimes({ runtimes: ["python", "wasm"] }, [])).toEqual(["python"]);
  });

  it("takes the runtimes it names, and none turns it off", () => {
    expect(prewarmedRuntimes({ prewarm: ["lua"] }, [])).toEqual(["lua"]);
    expect(prewarmedRuntimes({ prewarm: ["none"] }, [])).toEqual([]);
  });
});
