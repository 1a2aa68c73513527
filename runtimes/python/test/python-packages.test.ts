/** The plugin's package capability (`RuntimePlugin.packages`) over the vendoring functions. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPythonPlugin } from "../src/index.js";
import { buildWheel, wheelName } from "./wheel-builder.js";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "py-packages-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("pythonPlugin.packages", () => {
  it("adds, lists and removes in the plugin's vendor directory, or in the one an option names", async () => {
    const vendorDir = join(tmp, "plugin-dir");
    const packages = createPythonPlugin({ vendorDir }).packages;
    if (!packages) throw new Error("the Python plugin offers packages");
    expect(packages.guestPath).toBe("/data/site-packages");
    expect(packages.defaultDir()).toBe(vendorDir);
    const whl = join(tmp, wheelName("tinypkg", "1.2.0"));
    await writeFile(whl, buildWheel("tinypkg", "1.2.0", { "tinypkg/__init__.py": "VALUE = 42\n" }));

    expect(await packages.add(whl)).toEqual({ installed: [{ name: "tinypkg", version: "1.2.0" }], skippedRequirements: [] });
    expect(await packages.list()).toEqual([{ name: "tinypkg", version: "1.2.0" }]);
    const other = join(tmp, "other-dir");
    expect(await packages.list({ dir: other })).toEqual([]);
    await packages.add(whl, { dir: other });
    expect(await packages.remove("TinyPkg")).toEqual({ name: "tinypkg", version: "1.2.0" });
    expect(await packages.list()).toEqual([]);
    expect(await packages.list({ dir: other })).toEqual([{ name: "tinypkg", version: "1.2.0" }]);
  });
});
