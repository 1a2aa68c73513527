let seed = 7;
const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const orders = [];
for (let i = 0; i < 5000; i++) {
  const customer = `c${String(Math.floor(rnd() * 50)).padStart(2, "0")}`;
  const n = 1 + Math.floor(rnd() * 4);
  const items = [];
  for (let k = 0; k < n; k++) items.push({ sku: `s${Math.floor(rnd() * 20)}`, qty: 1 + Math.floor(rnd() * 5), price: Math.round(rnd() * 100 * 100) / 100 });
  orders.push({ id: i, customer, items });
}
const data = JSON.parse(JSON.stringify(orders));
const totals = {};
for (const o of data) totals[o.customer] = (totals[o.customer] ?? 0) + o.items.reduce((s, it) => s + it.qty * it.price, 0);
const top = Object.entries(totals).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
for (const [c, t] of top) console.log(c, t.toFixed(2));
console.log(data.length, data.reduce((s, o) => s + o.items.length, 0));
