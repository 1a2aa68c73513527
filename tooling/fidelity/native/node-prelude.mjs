// Native stand-ins for the sandbox's JavaScript file helpers: /app is the working directory.
import fs from "node:fs";
import path from "node:path";
const real = (p) => path.join(process.cwd(), p.replace(/^\/app\/?/, ""));
Object.assign(globalThis, {
  readText: (p) => fs.readFileSync(real(p), "utf8"),
  writeText: (p, t) => { fs.mkdirSync(path.dirname(real(p)), { recursive: true }); fs.writeFileSync(real(p), t); },
  readJson: (p) => JSON.parse(fs.readFileSync(real(p), "utf8")),
  writeJson: (p, v, indent = 2) => { fs.mkdirSync(path.dirname(real(p)), { recursive: true }); fs.writeFileSync(real(p), JSON.stringify(v, null, indent)); },
  fileExists: (p) => fs.existsSync(real(p)),
  listFiles: (dir = "/app", opts = {}) => {
    const base = real(dir);
    if (!opts.recursive) return fs.readdirSync(base, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort();
    const out = [];
    const walk = (abs, rel) => { for (const e of fs.readdirSync(abs, { withFileTypes: true })) { const r = rel ? `${rel}/${e.name}` : e.name; if (e.isDirectory()) walk(path.join(abs, e.name), r); else out.push(r); } };
    walk(base, "");
    return out.sort();
  },
  copyFile: (a, b) => { fs.mkdirSync(path.dirname(real(b)), { recursive: true }); fs.copyFileSync(real(a), real(b)); },
  removeFile: (p) => fs.unlinkSync(real(p)),
});
