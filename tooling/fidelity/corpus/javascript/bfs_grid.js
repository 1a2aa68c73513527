const W = 120, H = 120;
const wall = (x, y) => (x * 7 + y * 13) % 11 === 0 && !(x === 0 && y === 0);
const dist = new Int32Array(W * H).fill(-1);
dist[0] = 0;
const q = [0];
for (let head = 0; head < q.length; head++) {
  const cur = q[head], x = cur % W, y = (cur / W) | 0;
  for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
    const nx = x + dx, ny = y + dy;
    if (nx >= 0 && nx < W && ny >= 0 && ny < H && !wall(nx, ny) && dist[ny * W + nx] < 0) {
      dist[ny * W + nx] = dist[cur] + 1;
      q.push(ny * W + nx);
    }
  }
}
console.log(q.length, dist[W * H - 1] < 0 ? "None" : dist[W * H - 1], Math.max(...dist));
