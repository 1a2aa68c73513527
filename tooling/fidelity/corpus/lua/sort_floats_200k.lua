local seed = 12345
local xs = {}
for i = 1, 200000 do seed = seed * 48271 % 2147483647; xs[i] = seed / 2147483647 * 1000 end
table.sort(xs)
print(string.format("%.6f %.6f %.6f", xs[1], xs[100001], xs[#xs]))
local bad = 0
for i = 2, #xs do if xs[i] < xs[i - 1] then bad = bad + 1 end end
print(bad)
