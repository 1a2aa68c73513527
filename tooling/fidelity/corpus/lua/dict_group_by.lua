local seed = 17
local cities = {"Oslo", "Lima", "Pune", "Kyiv", "Doha"}
local grouped = {}
for _ = 1, 20000 do
  seed = seed * 48271 % 2147483647
  local city, year, amount = cities[seed % 5 + 1], 2018 + seed % 6, seed % 1000
  grouped[city] = grouped[city] or {}
  local g = grouped[city][year] or {n = 0, sum = 0}
  g.n, g.sum = g.n + 1, g.sum + amount
  grouped[city][year] = g
end
local names = {}
for c in pairs(grouped) do names[#names + 1] = c end
table.sort(names)
for _, c in ipairs(names) do
  local parts = {}
  for y = 2018, 2023 do local g = grouped[c][y]; if g then parts[#parts + 1] = string.format("%d:%d/%d", y, g.n, g.sum) end end
  print(c, table.concat(parts, " "))
end
