writeJson("/app/config.json", { service: "api", replicas: 2, env: { DEBUG: "0" }, ports: [80, 443] });
for (let step = 0; step < 5; step++) {
  const c = readJson("/app/config.json");
  c.replicas += step;
  c.env[`STEP_${step}`] = String(step * step);
  c.ports.push(8000 + step);
  writeJson("/app/config.json", c);
}
const final = readJson("/app/config.json");
console.log(final.replicas, Object.keys(final.env).length, JSON.stringify(final.ports));
console.log(JSON.stringify(final.env));
