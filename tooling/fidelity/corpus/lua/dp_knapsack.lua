local seed = 4
local items = {}
for _ = 1, 100 do
  seed = seed * 48271 % 2147483647
  local w = 1 + seed % 50
  seed = seed * 48271 % 2147483647
  items[#items + 1] = {w, 1 + seed % 100}
end
local cap = 1000
local best = {}
for c = 0, cap do best[c] = 0 end
for _, it in ipairs(items) do
  local w, v = it[1], it[2]
  for c = cap, w, -1 do if best[c - w] + v > best[c] then best[c] = best[c - w] + v end end
end
print(best[cap], best[cap // 2], best[100])
