import { describe, expect, it } from "vitest";
import { PolicyValidationError } from "./errors/policy-validation-error.js";
import { assertMountLayout, mountLayoutIssues, mountPathProblem } from "./mount-layout.js";
import { resolvePolicy } from "./policy.js";

describe("mount points", () => {
  it.each(["/", "/tmp", "/tmp/data", "/app", "/app/x", "data", "/data/", "/data//x", "/data/./x", "/data/../x"])("refuses %s on its own", (path) => {
    expect(mountPathProblem(path)).not.toBeNull();
  });

  it.each(["/data/mounted", "/external", "/tmpdata", "/application", "/data/app"])("accepts %s", (path) => {
    expect(mountPathProblem(path)).toBeNull();
  });

  it("refuses guestDataPath / and /tmp with a typed error (every run used to fail with a host error)", () => {
    for (const guestDataPath of ["/", "/tmp", "/tmp/in"]) {
      const e = (() => {
        try {
          resolvePolicy({ guestDataPath });
        } catch (err) {
          return err;
        }
        return null;
      })();
      expect(PolicyValidationError.isInstance(e)).toBe(true);
      expect((e as PolicyValidationError).issues[0]?.path).toBe("guestDataPath");
    }
  });

  it("finds two mounts at one path and a mount inside another, naming where each came from", () => {
    const issues = mountLayoutIssues([
      { guestPath: "/external", source: "mounts[0].guestPath" },
      { guestPath: "/external", source: "policy.guestDataPath" },
      { guestPath: "/data", source: "mounts[1].guestPath" },
      { guestPath: "/data/site-packages", source: "runtime" },
      { guestPath: "/data-other", source: "mounts[2].guestPath" },
    ]);
    expect(issues).toEqual([
      { path: "policy.guestDataPath", message: expect.stringContaining("also the guest path of mounts[0].guestPath") },
      { path: "runtime", message: expect.stringContaining('inside the mount at "/data" (mounts[1].guestPath)') },
    ]);
  });

  it("assertMountLayout throws PolicyValidationError, and passes a layout that can be built", () => {
    expect(() => assertMountLayout([{ guestPath: "/", source: "x" }])).toThrow(PolicyValidationError);
    expect(() => assertMountLayout([{ guestPath: "/data/a", source: "a" }, { guestPath: "/data/b", source: "b" }, { guestPath: "/external", source: "c" }])).not.toThrow();
  });
});
