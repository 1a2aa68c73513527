import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runComparison } from "./index.js";

describe("runComparison", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reports medians and ratios against the baseline and writes JSON", async () => {
    const spin = (n: number) => () => {
      let x = 0;
      for (let i = 0; i < n; i++) x += i;
      return x;
    };
    const rows = await runComparison({
      suite: "harness-self-test",
      baseline: { name: "base", fn: spin(1000) },
      cases: [{ name: "heavier", fn: spin(200_000), maxRatio: 1_000_000 }],
      timeMs: 20,
      iterations: 5,
      outDir: dir,
    });
    expect(rows.map((r) => r.name)).toEqual(["base", "heavier"]);
    expect(rows[0]!.ratio).toBeNull();
    expect(rows[1]!.ratio).toBeGreaterThan(1);
    expect(rows[1]!.met).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, "harness-self-test.json"), "utf8")) as { baseline: string; rows: unknown[] };
    expect(json.baseline).toBe("base");
    expect(json.rows).toHaveLength(2);
  });
});
