local rows = {{"Widget", 4, 3.5}, {"Gadget Pro", 12, 129.99}, {"Nut", 1000, 0.02}, {"Tool", 7, 45.0}}
local function money(v)
  local s = string.format("%.2f", v)
  local int, frac = s:match("^(%d+)(%.%d+)$")
  int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return int .. frac
end
local header = string.format("%-12s|%6s|%9s|%11s", "Product", "Qty", "Price", "Total")
print(header)
print(string.rep("-", #header))
local tq, tt = 0, 0
for _, r in ipairs(rows) do
  print(string.format("%-12s|%6d|%9.2f|%11s", r[1], r[2], r[3], money(r[2] * r[3])))
  tq, tt = tq + r[2], tt + r[2] * r[3]
end
print(string.format("%-12s|%6d|%9s|%11s", "TOTAL", tq, "", money(tt)))
