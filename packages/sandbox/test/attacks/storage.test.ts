/**
 * Storage and sessions: guest-controlled session ids, guest-made links and state files
 * never reach outside the session's own directory; concurrent sessions stay apart.
 */
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, InvalidSessionIdError, readSessionFile, type SandboxResult } from "../../src/index.js";
import { CANARY, createFixture, sandboxFor, type AttackFixture } from "./helpers.js";

let fx: AttackFixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(() => fx.cleanup());

const dbg = (r: SandboxResult) => {
  if (process.env.ATTACK_DEBUG) console.log(r.stdout.slice(0, 1500), "\n--stderr--\n", r.stderr.slice(0, 600));
};

/** Every entry under `dir` that is a symlink on the host disk. */
async function hostSymlinks(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    if ((await lstat(join(dir, name))).isSymbolicLink()) out.push(name);
  }
  return out;
}

describe("session ids", () => {
  it.each(["..", ".", "../secret", "a/b", "a\\b", "/etc", "..\\..", "x\0y", "", " ", "canary.txt", "%2e%2e", "a".repeat(5000)])(
    "rejects or contains the guest-controlled session id %j",
    async (sessionId) => {
      let created: Awaited<ReturnType<typeof createSandbox>> | undefined;
      try {
        created = await createSandbox({ runtime: "lua", workspaceRoot: fx.workspaceRoot, sessionId, createIfMissing: true });
      } catch (e) {
        if (process.env.ATTACK_DEBUG) console.log(JSON.stringify(sessionId).slice(0, 40), "refused:", String(e).slice(0, 160));
        expect(e).toBeInstanceOf(Error);
        expect(InvalidSessionIdError.isInstance(e) || (e as { code?: string }).code !== undefined).toBe(true);
      }
      if (created) {
        const r = await created.execute("local f = io.open('/app/probe.txt', 'w') f:write('p') f:close() print(io.open('/app/../canary.txt') ~= nil)");
        if (process.env.ATTACK_DEBUG) console.log(JSON.stringify(sessionId).slice(0, 40), "accepted as", created.sessionId.slice(0, 40), r.stdout, r.stderr);
        expect(r.stdout).not.toContain("true");
      }
      // nothing escaped the storage root, and the planted canary is untouched
      expect((await readdir(fx.root)).sort()).toEqual(["secret", "workspace"]);
      expect(await readFile(join(fx.workspaceRoot, "canary.txt"), "utf8")).toBe(CANARY);
    },
  );
});

describe("guest-made links on a disk store", () => {
  it("symlinks and hard links made by the guest are never committed as host links", async () => {
    const py = await sandboxFor("python", fx);
    const r = await py.execute(`
import os
made = []
for name, target in [("abs", "${fx.canaryPath}"), ("rel", "../../secret/canary.txt"), ("up", "../canary.txt"), ("dir", "/")]:
    try:
        os.symlink(target, "/app/" + name); made.append(name)
    except Exception as e:
        print("ERR", name, type(e).__name__)
os.makedirs("/app/sub", exist_ok=True)
try:
    os.symlink("../../..", "/app/sub/escape"); made.append("sub/escape")
except Exception as e:
    print("ERR sub", type(e).__name__)
print("MADE", made)
`);
    dbg(r);
    // A disk commit's last step (removal of .commit/) runs after execute returns; a read waits for it.
    await py.storage.getSession(py.sessionId);
    const sessionDir = await findSessionDir(fx.workspaceRoot, py.sessionId);
    expect(await hostSymlinks(sessionDir)).toEqual([]);
    // the next execution, loading lazily from disk, still cannot read through them
    const r2 = await py.execute(`
import os
for n in ["abs", "rel", "up", "sub/escape/secret/canary.txt", "sub/escape/canary.txt"]:
    try: print("READ", n, open("/app/" + n).read()[:80])
    except Exception as e: print("ERR", n, type(e).__name__)
`);
    dbg(r2);
    expect(r2.stdout).not.toContain(CANARY);
    for (const p of ["abs", "rel", "up", "sub/escape/canary.txt"]) {
      const text = await readSessionFile(py.sessionId, p, { workspaceRoot: fx.workspaceRoot }).then(
        (b) => new TextDecoder().decode(b),
        (e: unknown) => `refused: ${String(e)}`,
      );
      expect(text).not.toContain(CANARY);
    }
  });
});

describe("cross-session isolation", () => {
  it("one session cannot read another's files or state, even by its id, and concurrent runs stay apart", async () => {
    const a = await sandboxFor("python", fx);
    const b = await sandboxFor("python", fx);
    const [ra, rb] = await Promise.all([
      a.execute(`open('/app/only-a.txt', 'w').write('secret-of-a')\nimport os\nprint(sorted(os.listdir('/app')))`),
      b.execute(`open('/app/only-b.txt', 'w').write('secret-of-b')\nimport os\nprint(sorted(os.listdir('/app')))`),
    ]);
    expect(ra.stdout).not.toContain("only-b");
    expect(rb.stdout).not.toContain("only-a");
    const steal = await b.execute(`
for p in ["/app/../${a.sessionId}/only-a.txt", "../${a.sessionId}/only-a.txt", "/${a.sessionId}/only-a.txt", "/app/only-a.txt"]:
    try: print("READ", open(p).read())
    except Exception as e: print("ERR", type(e).__name__)
`);
    dbg(steal);
    expect(steal.stdout).not.toContain("secret-of-a");
    expect(steal.stdout).toContain("ERR");
  });
});

async function findSessionDir(root: string, sessionId: string): Promise<string> {
  for (const name of await readdir(root, { recursive: true })) {
    if (name.split("/").at(-1) === sessionId) return join(root, name);
  }
  throw new Error(`session dir of ${sessionId} not found under ${root}`);
}
