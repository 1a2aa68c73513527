class LRU {
  constructor(cap) { this.cap = cap; this.m = new Map(); this.hits = 0; this.misses = 0; }
  get(k) { if (!this.m.has(k)) { this.misses++; return undefined; } const v = this.m.get(k); this.m.delete(k); this.m.set(k, v); this.hits++; return v; }
  put(k, v) { this.m.delete(k); this.m.set(k, v); if (this.m.size > this.cap) this.m.delete(this.m.keys().next().value); }
}
const cache = new LRU(100);
let seed = 13;
for (let i = 0; i < 50000; i++) {
  seed = (seed * 48271) % 2147483647;
  const k = seed % 4 ? seed % 300 : seed % 50;
  if (cache.get(k) === undefined) cache.put(k, k * k);
}
console.log(cache.hits, cache.misses, [...cache.m.keys()].slice(0, 5));
