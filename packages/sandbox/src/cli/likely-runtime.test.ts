import { describe, expect, it } from "vitest";
import { likelyRuntimeOf } from "./likely-runtime.js";

describe("likelyRuntimeOf (argv of `run`, before anything is loaded)", () => {
  it("reads the file's extension, skipping options and their values", () => {
    expect(likelyRuntimeOf(["hello.rb"])).toBe("ruby");
    expect(likelyRuntimeOf(["--fuel", "100", "--env", "A=1", "--json", "job.PY", "--verbose"])).toBe("python");
    expect(likelyRuntimeOf(["--timeout=5", "-s", "s1", "calc.mjs"])).toBe("javascript");
    expect(likelyRuntimeOf(["--external", "a.csv", "--external", "b.csv", "--deterministic", "x.lua"])).toBe("lua");
    expect(likelyRuntimeOf(["--external", "a.csv", "x.lua", "b.csv"])).toBe("lua");
  });

  it("prefers --runtime given before the file, and knows it for inline code and stdin", () => {
    expect(likelyRuntimeOf(["-r", "python", "script.txt"])).toBe("python");
    expect(likelyRuntimeOf(["--runtime=ruby", "-c", "puts 1"])).toBe("ruby");
    expect(likelyRuntimeOf(["-r", "lua", "-"])).toBe("lua");
  });

  it("cannot tell for an unknown extension, nothing to run, or a --plugin that may claim the file", () => {
    expect(likelyRuntimeOf(["notes.txt"])).toBeNull();
    expect(likelyRuntimeOf([])).toBeNull();
    expect(likelyRuntimeOf(["-c", "print(1)"])).toBeNull();
    expect(likelyRuntimeOf(["--plugin", "./tally.js", "x.tally"])).toBeNull();
    expect(likelyRuntimeOf(["--plugin=./tally.js", "x.py"])).toBeNull();
  });
});
