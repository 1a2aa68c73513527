import type { RuntimePlugin } from "@llm-wasm-sandbox/core";

/**
 * A test runtime whose "language" is one command per line (see fixtures/fake-driver.mjs),
 * so umbrella behaviour (sessions, commits, locking, results) is tested through the real
 * v2 path — prepare, a worker, the journal, the control channel — without an interpreter.
 */
export function fakeRuntime(type = "fake"): RuntimePlugin {
  return Object.freeze({
    specificationVersion: "v2",
    type,
    displayName: "Fake",
    languageVersion: "Fake 1.0",
    fileExtension: ".fake",
    packageName: "fake-runtime",
    version: "0.0.0",
    prepare: () => ({ kind: "run", image: null, driver: new URL("./fixtures/fake-driver.mjs", import.meta.url).href, argv: ["fake"] }),
    interpret: (raw) => {
      const error = raw.facts.find((f) => f.kind === "error");
      return {
        languageError: error ? { name: error.name, message: error.message } : null,
        notes: raw.stdout.includes("note") ? ["a note"] : [],
      };
    },
  } satisfies RuntimePlugin);
}
