const files = { "proj/README.md": "# proj\n", "proj/src/main.js": "console.log('x')\n".repeat(10), "proj/src/util/helpers.js": "function f() {}\n".repeat(3), "proj/tests/main.test.js": "assert(true)\n", "proj/docs/guide.txt": "guide ".repeat(50) };
for (const [p, c] of Object.entries(files)) writeText(`/app/${p}`, c);
let total = 0;
for (const rel of listFiles("/app/proj", { recursive: true })) {
  const size = new TextEncoder().encode(readText(`/app/proj/${rel}`)).length;
  total += size;
  console.log(`proj/${rel}`, size);
}
console.log("total", total, JSON.stringify(listFiles("/app/proj")));
