local seed = 10
local intervals = {}
for i = 1, 20000 do
  seed = seed * 48271 % 2147483647
  local a = seed % 1000000
  seed = seed * 48271 % 2147483647
  intervals[i] = {a, a + seed % 100}
end
table.sort(intervals, function(x, y) if x[1] ~= y[1] then return x[1] < y[1] end return x[2] < y[2] end)
local merged = {}
for _, iv in ipairs(intervals) do
  local last = merged[#merged]
  if last and iv[1] <= last[2] then last[2] = math.max(last[2], iv[2]) else merged[#merged + 1] = {iv[1], iv[2]} end
end
local total = 0
for _, m in ipairs(merged) do total = total + m[2] - m[1] end
print(#merged, merged[1][1], merged[1][2], merged[#merged][1], merged[#merged][2], total)
