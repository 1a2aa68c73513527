local seed = 31
local function rnd() seed = seed * 48271 % 2147483647; return seed / 2147483647 end
local queue, head, served, t, busy, wsum, wmax = {}, 1, 0, 0.0, 0.0, 0, 0
for _ = 1, 20000 do
  t = t + rnd() * 2
  queue[#queue + 1] = t
  while head <= #queue and busy <= t do
    local arrived = queue[head]; head = head + 1
    local start = math.max(arrived, busy)
    wsum = wsum + (start - arrived)
    wmax = math.max(wmax, start - arrived)
    busy = start + rnd() * 1.9
    served = served + 1
  end
end
print(served, #queue - head + 1, string.format("%.4f %.4f", wsum / served, wmax))
