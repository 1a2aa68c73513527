/**
 * What a user and npm expect of every package we publish, checked on the manifests so a
 * new package cannot ship without it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { publishedPackages, REPO_ROOT } from "./workspace.js";

const REPOSITORY = "https://github.com/llm-wasm-sandbox/llm-wasm-sandbox";
/** The Node floor every package declares (see the package-metadata changeset for why). */
const NODE_RANGE = ">=20.10";

/** Packages whose public API takes or returns zod schemas (see the zod-peer-dependency changeset). */
const ZOD_PEERS = new Set(["@llm-wasm-sandbox/core", "llm-wasm-sandbox"]);
const ZOD_PEER_RANGE = "^4.1.0";

const packages = publishedPackages();

describe("published package metadata", () => {
  it("finds the published packages, testkit among them", () => {
    const names = packages.map((p) => p.manifest.name);
    expect(names).toContain("llm-wasm-sandbox");
    expect(names).toContain("@llm-wasm-sandbox/testkit");
    expect(names).toContain("@llm-wasm-sandbox/runtime-python");
  });

  describe.each(packages.map((p) => [p.manifest.name, p] as const))("%s", (_name, { dir, manifest }) => {
    it("says what it is, where it comes from and under which license", () => {
      expect(manifest.description?.length).toBeGreaterThan(20);
      expect(manifest.keywords?.length).toBeGreaterThanOrEqual(5);
      expect(manifest.license).toBe("MIT");
      expect(manifest.repository).toEqual({ type: "git", url: `git+${REPOSITORY}.git`, directory: dir });
      expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/${dir}#readme`);
      expect(manifest.bugs).toBe(`${REPOSITORY}/issues`);
      expect(existsSync(join(REPO_ROOT, dir, "README.md"))).toBe(true);
    });

    it("declares the Node it needs and is ESM without side effects", () => {
      expect(manifest.engines).toEqual({ node: NODE_RANGE });
      expect(manifest.type).toBe("module");
      expect(manifest.sideEffects).toBe(false);
    });

    it("ships dist/ only (no benchmark builds) and exports ./package.json", () => {
      expect(manifest.files?.[0]).toBe("dist");
      if (existsSync(join(REPO_ROOT, dir, "bench"))) expect(manifest.files).toContain("!dist/bench");
      expect(manifest.exports?.["./package.json"]).toBe("./package.json");
    });

    it("lists types first in every export, with the source condition for the workspace", () => {
      for (const [key, target] of Object.entries(manifest.exports ?? {})) {
        if (key === "./package.json") continue;
        expect(typeof target, key).toBe("object");
        const conditions = Object.keys(target as object);
        expect(conditions[0], key).toBe("types");
        expect(conditions, key).toContain("llm-wasm-sandbox:source");
        expect(conditions.at(-1), key).toBe("import");
      }
    });

    it("builds with the shared tsup config", () => {
      const config = readFileSync(join(REPO_ROOT, dir, "tsup.config.ts"), "utf8");
      expect(config).toMatch(/from "@llm-wasm-sandbox\/tsup-config"/);
      expect(config).not.toMatch(/from "tsup"/);
      expect(manifest.devDependencies?.["@llm-wasm-sandbox/tsup-config"]).toBe("workspace:*");
    });

    it("never depends on vitest at run time (the testkit takes it as a peer)", () => {
      expect(manifest.dependencies?.vitest).toBeUndefined();
    });

    it("takes zod as a peer where its schemas are public API, and never both ways", () => {
      const zodIsPublic = ZOD_PEERS.has(manifest.name);
      expect(manifest.peerDependencies?.zod, "zod peer").toBe(zodIsPublic ? ZOD_PEER_RANGE : undefined);
      if (zodIsPublic) expect(manifest.dependencies?.zod).toBeUndefined();
    });
  });
});
