/**
 * A failed syscall leaves no trace (issue 22.7): with every fd in use, `open(O_CREAT)`
 * fails with EMFILE — and used to create the file anyway, which was then committed.
 * With O_TRUNC it must not truncate an existing file either.
 */
import { describe, expect, it } from "vitest";
import { createSandbox, listSessionFiles, memoryStorage, readSessionFile, writeSessionFile } from "../../src/index.js";

/** Fills the fd table, then tries to create ghost.txt and truncate keep.txt; prints what happened. */
const EXHAUST: Record<string, string> = {
  python: `
import errno, os
held = []
try:
    while True:
        held.append(os.open("/app", os.O_RDONLY))
except OSError as e:
    print("FULL", errno.errorcode[e.errno])
for name, flags in [("ghost.txt", os.O_CREAT | os.O_WRONLY), ("keep.txt", os.O_TRUNC | os.O_WRONLY)]:
    try:
        os.open("/app/" + name, flags)
        print(name, "OPENED")
    except OSError as e:
        print(name, errno.errorcode[e.errno])`,
  ruby: `
held = []
begin
  loop { held << File.open("/app") }
rescue SystemCallError => e
  puts "FULL #{e.class.name.split("::").last}"
end
[["ghost.txt", File::CREAT | File::WRONLY], ["keep.txt", File::TRUNC | File::WRONLY]].each do |name, flags|
  begin
    File.open("/app/" + name, flags)
    puts "#{name} OPENED"
  rescue SystemCallError => e
    puts "#{name} #{e.class.name.split("::").last}"
  end
end`,
  // musl names EMFILE "No file descriptors available".
  lua: `
local held = {}
while true do
  local f, err = io.open("/app/keep.txt", "r")
  if not f then print("FULL " .. (tostring(err):find("No file descriptors available") and "EMFILE" or tostring(err))) break end
  held[#held + 1] = f
end
for _, c in ipairs({ { "ghost.txt", "w" }, { "keep.txt", "w" } }) do
  local f, err = io.open("/app/" .. c[1], c[2])
  print(c[1] .. " " .. (f and "OPENED" or (tostring(err):find("No file descriptors available") and "EMFILE" or tostring(err))))
end`,
};

describe.each(Object.keys(EXHAUST))("open at the fd limit (%s)", (runtime) => {
  it("open(O_CREAT) failing with EMFILE creates nothing, and O_TRUNC truncates nothing", async () => {
    const storage = memoryStorage();
    const sb = await createSandbox({ runtime, storage });
    await writeSessionFile(sb.sessionId, "keep.txt", "precious", { storage });
    const r = await sb.execute(EXHAUST[runtime]!);
    if (process.env.ATTACK_DEBUG) console.log(r.stdout, r.stderr);
    expect(r.stdout).toContain("FULL EMFILE");
    expect(r.stdout).toContain("ghost.txt EMFILE");
    expect(r.stdout).toContain("keep.txt EMFILE");
    expect((await listSessionFiles(sb.sessionId, { storage })).map((f) => f.path)).toEqual(["keep.txt"]);
    expect(new TextDecoder().decode(await readSessionFile(sb.sessionId, "keep.txt", { storage }))).toBe("precious");
    expect(r.filesCreated).toEqual([]);
  });
});
