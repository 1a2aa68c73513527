import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidPathError } from "./errors/invalid-path-error.js";
import { canonicalWorkspacePath, isInternalPath } from "./workspace-path.js";

describe("canonicalWorkspacePath", () => {
  it("normalizes separators, dots and a leading /app", () => {
    expect(canonicalWorkspacePath("a//b/./c")).toBe("a/b/c");
    expect(canonicalWorkspacePath("/app/out.txt")).toBe("out.txt");
    expect(canonicalWorkspacePath("./data/x.csv")).toBe("data/x.csv");
  });

  it.each(["../etc/passwd", "a/../../b", "/etc/passwd", "/application/x", "a\0b", "a\\b", "", "/app", "x/" + "n".repeat(300)])(
    "rejects %j",
    (p) => {
      expect(() => canonicalWorkspacePath(p)).toThrow(InvalidPathError);
    },
  );

  it("never returns a path with '..', a leading '/', or empty segments", () => {
    const seg = fc.constantFrom("a", "b", "..", ".", "", "/", "app", "x y");
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 8 }), fc.boolean(), (segs, abs) => {
        const input = (abs ? "/" : "") + segs.join("/");
        let out: string;
        try {
          out = canonicalWorkspacePath(input);
        } catch (e) {
          return e instanceof InvalidPathError;
        }
        return !out.startsWith("/") && !out.split("/").some((s) => s === ".." || s === "" || s === ".");
      }),
    );
  });

  it("recognizes the sandbox's internal directory", () => {
    expect(isInternalPath(".llm-sandbox/state.json")).toBe(true);
    expect(isInternalPath(".llm-sandboxed")).toBe(false);
  });
});
