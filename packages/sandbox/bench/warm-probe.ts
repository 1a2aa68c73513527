/**
 * Child process of the warm-session benchmark: a fresh Node process that runs one cold
 * execution of `runtime` (images, snapshot and a pool thread loaded), then starts `count`
 * keepAlive sandboxes, each left live after one execution, and prints JSON: RSS before and
 * after the live sessions, in MiB.
 *
 *     node dist/bench/warm-probe.mjs <cacheDir> <runtime> <count>
 */
import { createSandbox, createSandboxHost, memoryStorage } from "llm-wasm-sandbox";
import { HELLO } from "./hello.js";

const [cacheDir, runtime, countText] = process.argv.slice(2);
if (!cacheDir || !runtime || !countText) throw new Error("usage: warm-probe.mjs <cacheDir> <runtime> <count>");
const count = Number(countText);
const mib = (): number => Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;
const settle = async (): Promise<void> => {
  await new Promise((resolve) => setTimeout(resolve, 200));
  globalThis.gc?.();
};

const host = createSandboxHost({ cacheDir, storage: memoryStorage(), keepAlive: { maxSessions: count } });
const cold = await createSandbox({ runtime, host });
const first = await cold.execute(HELLO[runtime]!);
if (first.stdout !== "hello\n") throw new Error(`${runtime}: ${first.stderr}`);
await settle();
const beforeMiB = mib();
const live = [];
for (let i = 0; i < count; i++) {
  const sandbox = await createSandbox({ runtime, host, keepAlive: true });
  const r = await sandbox.execute(HELLO[runtime]!);
  if (r.stdout !== "hello\n") throw new Error(`${runtime}: ${r.stderr}`);
  live.push(sandbox);
}
await settle();
const afterMiB = mib();
if (host.liveSessions !== count) throw new Error(`expected ${count} live sessions, found ${host.liveSessions}`);
process.stdout.write(JSON.stringify({ runtime, count, beforeMiB, afterMiB, perSessionMiB: Math.round(((afterMiB - beforeMiB) / count) * 10) / 10 }));
await host.close();
