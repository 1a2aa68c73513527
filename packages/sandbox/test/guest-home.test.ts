/**
 * Every runtime gives its guest a home (issue 21): HOME=/app and a user name, so `~`,
 * Dir.home, Path.home(), expanduser and getpass.getuser() work; the policy's env wins.
 */
import { describe, expect, it } from "vitest";
import { createSandbox, memoryStorage } from "../src/index.js";

const HOME: Record<string, string> = {
  python: `import os, pathlib, getpass
print(pathlib.Path.home(), os.path.expanduser("~/notes.txt"), getpass.getuser())`,
  ruby: `puts [Dir.home, File.expand_path("~/notes.txt"), ENV["USER"]].join(" ")`,
  javascript: `console.log(env.HOME, env.HOME + "/notes.txt", env.USER)`,
  lua: `print(os.getenv("HOME") .. " " .. os.getenv("HOME") .. "/notes.txt " .. os.getenv("LOGNAME"))`,
};

describe.each(Object.keys(HOME))("%s home", (runtime) => {
  it("is /app with a user name, unless the policy's env names another", async () => {
    const storage = memoryStorage();
    const sb = await createSandbox({ runtime, storage });
    const r = await sb.execute(HOME[runtime]!);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("/app /app/notes.txt sandbox");
    const own = await createSandbox({ runtime, storage, policy: { env: { HOME: "/app/home", USER: "ada", LOGNAME: "ada" } } });
    const r2 = await own.execute(HOME[runtime]!);
    expect(r2.stdout.trim()).toBe("/app/home /app/home/notes.txt ada");
  });
});
