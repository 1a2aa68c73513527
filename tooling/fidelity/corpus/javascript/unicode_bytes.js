const text = "Grüße aus Köln — 10 € für 🍕🍕";
const b = new TextEncoder().encode(text);
console.log([...text].length, text.length, b.length);
console.log([...b.slice(0, 12)].map((x) => x.toString(16).padStart(2, "0")).join(""));
console.log(new TextDecoder().decode(b).slice(-5));
const counts = {};
for (const ch of text) {
  const cp = ch.codePointAt(0);
  const kind = cp < 128 ? "ascii" : cp < 0x10000 ? "bmp" : "astral";
  counts[kind] = (counts[kind] ?? 0) + 1;
}
console.log(JSON.stringify(Object.entries(counts).sort()));
writeText("/app/u.txt", text);
console.log(readText("/app/u.txt") === text);
