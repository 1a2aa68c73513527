let seed = 11;
const bins = Array(12).fill(0);
for (let i = 0; i < 5000; i++) {
  let s = 0;
  for (let k = 0; k < 6; k++) { seed = (seed * 48271) % 2147483647; s += seed / 2147483647; }
  bins[Math.min(11, Math.floor(s * 2))]++;
}
bins.forEach((c, i) => console.log(`${(i / 2).toFixed(1).padStart(4)}-${((i + 1) / 2).toFixed(1).padStart(4)} ${String(c).padStart(5)} ${"#".repeat(Math.floor(c / 40))}`));
