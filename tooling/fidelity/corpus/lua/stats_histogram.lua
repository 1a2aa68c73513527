local seed = 11
local bins = {}
for i = 0, 11 do bins[i] = 0 end
for _ = 1, 5000 do
  local s = 0
  for _ = 1, 6 do seed = seed * 48271 % 2147483647; s = s + seed / 2147483647 end
  local b = math.min(11, math.floor(s * 2))
  bins[b] = bins[b] + 1
end
for i = 0, 11 do print(string.format("%4.1f-%4.1f %5d %s", i / 2, (i + 1) / 2, bins[i], string.rep("#", bins[i] // 40))) end
