import { afterAll, expect, it } from "vitest";
import { createSandbox, createSandboxHost, memoryStorage } from "../../src/index.js";

const host = createSandboxHost();
afterAll(() => host.close());

it("python warm smoke", async () => {
  const sb = await createSandbox({ runtime: "python", storage: memoryStorage(), host, keepAlive: true, autoPersistGlobals: true });
  const a = await sb.execute("x = 1\ndef g():\n  i = 0\n  while True:\n    yield i\n    i += 1\nit = g(); next(it)\nprint(x)");
  console.log(a.stdout, a.stderr, a.warm, a.notes);
  const b = await sb.execute("x += 1\nprint(x, next(it))\nraise ValueError('boom')");
  console.log(b.stdout, b.stderr, b.warm, b.durationMs, b.errorGuidance?.errorType);
  const c = await sb.execute("x += 1\nprint(x)\nimport sys; sys.exit(3)");
  console.log(c.stdout, c.stderr, c.warm, c.exitCode);
  const d = await sb.execute("print(x)");
  console.log(d.stdout, d.stderr, d.warm, d.exitCode, d.notes);
  expect(b.warm).toBe(true);
  await sb.close();
});
