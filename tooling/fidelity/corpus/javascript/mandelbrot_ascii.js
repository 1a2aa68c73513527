const chars = " .:-=+*#%@";
const rows = [];
for (let y = 0; y < 24; y++) {
  let row = "";
  for (let x = 0; x < 64; x++) {
    const cr = -2.2 + (x * 3.0) / 64, ci = -1.2 + (y * 2.4) / 24;
    let zr = 0, zi = 0, n = 0;
    while (zr * zr + zi * zi <= 4 && n < 60) { [zr, zi] = [zr * zr - zi * zi + cr, 2 * zr * zi + ci]; n++; }
    row += chars[Math.floor((n * (chars.length - 1)) / 60)];
  }
  rows.push(row);
}
console.log(rows.join("\n"));
