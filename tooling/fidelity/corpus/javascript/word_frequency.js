const words = "the quick brown fox jumps over the lazy dog and the cat sat on the mat while a bird sang".split(" ");
let seed = 8;
const text = [];
for (let i = 0; i < 50000; i++) { seed = (seed * 48271) % 2147483647; text.push(words[seed % words.length]); }
const doc = text.join(" ");
const freq = new Map();
for (const w of doc.split(/\s+/)) freq.set(w, (freq.get(w) ?? 0) + 1);
const top = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
for (const [w, c] of top) console.log(w.padEnd(6), c);
console.log(doc.length, freq.size);
