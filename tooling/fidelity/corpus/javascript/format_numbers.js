const vals = [0, 1, -1, 3.14159, 1234567.891, -0.000123, 1e21, 2 ** 53, 0.1 + 0.2];
for (const v of vals) console.log(String(v), v.toFixed(2), v.toExponential(3), v.toPrecision(4).padStart(12));
console.log(`${(0.4567 * 100).toFixed(1)}%`, (255).toString(16), (255).toString(2).padStart(8, "0"), (-42).toString(), (0.000001234).toString(), (123.456).toFixed(1));
console.log(Math.round(2.675 * 100) / 100, Math.round(0.5), Math.round(1.5), Math.round(-2.5), (1.005).toFixed(2), Number("1e3"), parseFloat("3.14abc"), parseInt("ff", 16));
