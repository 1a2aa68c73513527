let seed = 5;
const letters = "abcdefghijklmnopqrstuvwxyz";
const words = [];
for (let i = 0; i < 100000; i++) {
  let w = "";
  for (let k = 0; k < 3 + (i % 6); k++) { seed = (seed * 48271) % 2147483647; w += letters[seed % 26]; }
  words.push(w);
}
words.sort();
console.log(words.slice(0, 3), words[words.length - 1]);
const byLen = [...words].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
console.log(byLen[0], byLen[byLen.length - 1], new Set(words).size);
