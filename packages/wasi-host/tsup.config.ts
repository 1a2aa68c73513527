import { readdirSync } from "node:fs";
import { packageConfig } from "@llm-wasm-sandbox/tsup-config";

// The worker entry and the drivers are loaded by worker threads from dist/ (see
// resolveBuiltFile), so they are entries of their own next to the public index.
const drivers = Object.fromEntries(
  readdirSync(new URL("./src/drivers", import.meta.url))
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .map((file) => [`drivers/${file.slice(0, -3)}`, `src/drivers/${file}`]),
);

export default packageConfig({
  entry: {
    index: "src/index.ts",
    "wasm-binary/index": "src/wasm-binary/index.ts",
    prestart: "src/prestart.ts",
    host: "src/host.ts",
    driver: "src/driver.ts",
    worker: "src/worker.ts",
    "pool/thread-entry": "src/pool/thread-entry.ts",
    "start-hint/worker-entry": "src/start-hint/worker-entry.ts",
    "session-worker": "src/session-worker/entry.ts",
    "cache/prepare-image": "src/cache/prepare-image.ts",
    "cache/instrument-cached": "src/cache/instrument-cached.ts",
    "snapshot/persist-snapshot": "src/snapshot/persist-snapshot.ts",
    ...drivers,
  },
  dts: { entry: { index: "src/index.ts", driver: "src/driver.ts", "wasm-binary/index": "src/wasm-binary/index.ts", prestart: "src/prestart.ts", host: "src/host.ts" } },
  splitting: true,
});
