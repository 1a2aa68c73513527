const bodies = [[0, 0, 0, 0, 1000], [100, 0, 0, 3, 1], [0, 150, -2.5, 0, 2], [-200, 0, 0, -2.2, 0.5]];
const dt = 0.05;
for (let step = 0; step < 3000; step++) {
  bodies.forEach((a, i) => {
    let ax = 0, ay = 0;
    bodies.forEach((b, j) => {
      if (i === j) return;
      const dx = b[0] - a[0], dy = b[1] - a[1];
      const r = Math.sqrt(dx * dx + dy * dy) + 0.01;
      const f = b[4] / (r * r * r);
      ax += dx * f; ay += dy * f;
    });
    a[2] += ax * dt; a[3] += ay * dt;
  });
  for (const a of bodies) { a[0] += a[2] * dt; a[1] += a[3] * dt; }
}
for (const b of bodies) console.log(b[0].toFixed(3), b[1].toFixed(3));
