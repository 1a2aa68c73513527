const W = 48, H = 48;
let seed = 23;
let cells = new Set();
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { seed = (seed * 48271) % 2147483647; if (seed % 3 === 0) cells.add(y * W + x); }
for (let gen = 0; gen < 60; gen++) {
  const counts = new Map();
  for (const c of cells) {
    const x = c % W, y = (c / W) | 0;
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) if (dx || dy) {
      const k = ((y + dy + H) % H) * W + ((x + dx + W) % W);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const next = new Set();
  for (const [k, n] of counts) if (n === 3 || (n === 2 && cells.has(k))) next.add(k);
  cells = next;
}
const pts = [...cells].map((c) => [c % W, (c / W) | 0]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
console.log(cells.size, JSON.stringify(pts[0]), JSON.stringify(pts[pts.length - 1]));
