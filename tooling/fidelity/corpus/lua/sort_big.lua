local seed = 2024
local xs = {}
for i = 1, 1000000 do seed = seed * 48271 % 2147483647; xs[i] = seed / 2147483647 end
local recs = {}
for i = 1, 200000 do recs[i] = {math.floor(xs[i] * 100), i - 1} end
table.sort(xs)
table.sort(recs, function(a, b) if a[1] ~= b[1] then return a[1] > b[1] end return a[2] < b[2] end)
print(string.format("%.9f %.9f %.9f", xs[1], xs[500001], xs[#xs]))
print(recs[1][1], recs[1][2], recs[#recs][1], recs[#recs][2])
