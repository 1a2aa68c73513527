class Heap {
  constructor() { this.a = []; }
  push(v) { const a = this.a; a.push(v); let i = a.length - 1; while (i > 0) { const p = (i - 1) >> 1; if (a[p][0] <= a[i][0]) break; [a[p], a[i]] = [a[i], a[p]]; i = p; } }
  pop() {
    const a = this.a, top = a[0], last = a.pop();
    if (a.length) { a[0] = last; let i = 0; for (;;) { const l = 2 * i + 1, r = l + 1; let m = i; if (l < a.length && a[l][0] < a[m][0]) m = l; if (r < a.length && a[r][0] < a[m][0]) m = r; if (m === i) break; [a[m], a[i]] = [a[i], a[m]]; i = m; } }
    return top;
  }
  get size() { return this.a.length; }
}
const N = 5000;
const edges = Array.from({ length: N }, () => []);
let seed = 1;
for (let i = 0; i < N; i++) for (let k = 0; k < 4; k++) { seed = (seed * 48271) % 2147483647; const j = seed % N, w = 1 + (seed % 100); edges[i].push([j, w]); edges[j].push([i, w]); }
const dist = new Array(N).fill(Infinity);
dist[0] = 0;
const pq = new Heap();
pq.push([0, 0]);
while (pq.size) {
  const [d, u] = pq.pop();
  if (d > dist[u]) continue;
  for (const [v, w] of edges[u]) if (d + w < dist[v]) { dist[v] = d + w; pq.push([d + w, v]); }
}
const reach = dist.filter((d) => d !== Infinity);
console.log(reach.length, Math.max(...reach), reach.reduce((a, b) => a + b, 0));
