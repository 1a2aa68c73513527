const rows = [["Widget", 4, 3.5], ["Gadget Pro", 12, 129.99], ["Nut", 1000, 0.02], ["Über-Tool", 7, 45.0]];
const money = (v) => v.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const header = `${"Product".padEnd(12)}|${"Qty".padStart(6)}|${"Price".padStart(9)}|${"Total".padStart(11)}`;
console.log(header);
console.log("-".repeat(header.length));
for (const [name, qty, price] of rows) console.log(`${name.padEnd(12)}|${String(qty).padStart(6)}|${price.toFixed(2).padStart(9)}|${money(qty * price).padStart(11)}`);
const tq = rows.reduce((s, r) => s + r[1], 0), tt = rows.reduce((s, r) => s + r[1] * r[2], 0);
console.log(`${"TOTAL".padEnd(12)}|${String(tq).padStart(6)}|${"".padStart(9)}|${money(tt).padStart(11)}`);
