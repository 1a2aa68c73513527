local seed = 3
local xs = {}
for i = 1, 10000 do seed = seed * 48271 % 2147483647; xs[i] = math.floor(seed / 2147483647 * 100 * 1000 + 0.5) / 1000 end
local sorted = {table.unpack(xs)}
table.sort(sorted)
local function pct(p) local k = (#sorted - 1) * p; local f = math.floor(k); local c = math.min(f + 1, #sorted - 1); return sorted[f + 1] + (sorted[c + 1] - sorted[f + 1]) * (k - f) end
local sum = 0
for _, x in ipairs(xs) do sum = sum + x end
local mean = sum / #xs
local ss = 0
for _, x in ipairs(xs) do ss = ss + (x - mean) ^ 2 end
print(string.format("%.4f %.4f %.4f", mean, math.sqrt(ss / (#xs - 1)), (sorted[5000] + sorted[5001]) / 2))
local ps = {}
for _, p in ipairs({0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) do ps[#ps + 1] = string.format("%.3f", pct(p)) end
print(table.concat(ps, " "))
print(sorted[1], sorted[#sorted])
