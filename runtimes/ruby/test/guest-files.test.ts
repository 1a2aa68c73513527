/**
 * The guest code (guest/*.rb) is checked in its own language with `ruby -c` where a Ruby is
 * installed. (The sandbox's own CRuby evaluates every file into the snapshot each test
 * file's first run takes, so a file it cannot run fails every Ruby test as well.)
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SNAPSHOT_FILES } from "../src/bootstrap.js";

const guestDir = fileURLToPath(new URL("../guest/", import.meta.url));
const names = readdirSync(guestDir).filter((n) => n.endsWith(".rb"));
const ruby = hasRuby();

describe("Ruby guest files", () => {
  it("are all evaluated into the snapshot", () => {
    expect(SNAPSHOT_FILES.map((f) => f.name).sort()).toEqual([...names].sort());
  });

  it.skipIf(!ruby)("pass ruby -c", () => {
    for (const n of names) expect(execFileSync("ruby", ["-c", guestDir + n], { encoding: "utf8" })).toBe("Syntax OK\n");
  });
});

function hasRuby(): boolean {
  try {
    execFileSync("ruby", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
