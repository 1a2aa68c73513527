import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * What a built entry loads statically: the files (itself and every chunk it imports by a
 * relative path), the bare specifiers they import (packages), and the source files
 * bundled into them (esbuild's `// src/…` markers). A dynamic `import("./x.js")` is not
 * followed: what it loads is not loaded before the entry runs.
 * @param {string} entry absolute path of a built `.js` file
 * @returns {{ files: Set<string>; bare: Set<string>; sources: Set<string> }}
 */
export function builtGraph(entry) {
  const files = new Set();
  const bare = new Set();
  const sources = new Set();
  const visit = (file) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^\/\/ src\/(\S+)$/gm)) sources.add(m[1]);
    for (const m of text.matchAll(/(?:from|import)\s*"([^"]+)"/g)) {
      const spec = m[1];
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files, bare, sources };
}
