local chars = " .:-=+*#%@"
for y = 0, 23 do
  local row = {}
  for x = 0, 63 do
    local cr, ci = -2.2 + x * 3.0 / 64, -1.2 + y * 2.4 / 24
    local zr, zi, n = 0, 0, 0
    while zr * zr + zi * zi <= 4 and n < 60 do zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci; n = n + 1 end
    local k = n * (#chars - 1) // 60 + 1
    row[#row + 1] = chars:sub(k, k)
  end
  print(table.concat(row))
end
