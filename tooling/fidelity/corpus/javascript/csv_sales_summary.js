let seed = 42;
const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const regions = ["north", "south", "east", "west"];
const products = ["widget", "gadget", "doohickey", "gizmo", "thingamajig"];
const lines = ["date,region,product,units,price"];
for (let i = 0; i < 2000; i++) {
  const date = `2024-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
  lines.push([date, regions[Math.floor(rnd() * 4)], products[Math.floor(rnd() * 5)], 1 + Math.floor(rnd() * 20), Math.round((5 + rnd() * 95) * 100) / 100].join(","));
}
const [header, ...body] = lines.join("\n").split("\n");
const cols = header.split(",");
const totals = new Map();
const units = {};
for (const line of body) {
  const row = Object.fromEntries(line.split(",").map((v, i) => [cols[i], v]));
  const key = `${row.region}|${row.product}`;
  totals.set(key, (totals.get(key) ?? 0) + Number(row.units) * Number(row.price));
  units[row.region] = (units[row.region] ?? 0) + Number(row.units);
}
for (const key of [...totals.keys()].sort()) {
  const [region, product] = key.split("|");
  console.log(`${region.padEnd(6)} ${product.padEnd(12)} ${totals.get(key).toFixed(2).padStart(12)}`);
}
console.log("units", JSON.stringify(Object.entries(units).sort()));
