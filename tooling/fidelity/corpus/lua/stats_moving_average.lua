local seed = 21
local prices, p = {}, 100.0
for i = 1, 2000 do seed = seed * 48271 % 2147483647; p = p * (1 + (seed / 2147483647 - 0.5) * 0.02); prices[i] = p end
local function sma(xs, n)
  local out, s = {}, 0.0
  for i, x in ipairs(xs) do
    s = s + x
    if i > n then s = s - xs[i - n] end
    if i >= n then out[#out + 1] = s / n end
  end
  return out
end
local s20, s50 = sma(prices, 20), sma(prices, 50)
local cross = 0
for i = 2, #s50 do if (s20[i + 30] - s50[i]) * (s20[i + 29] - s50[i - 1]) < 0 then cross = cross + 1 end end
print(string.format("%.4f %.4f %.4f %.4f %.4f %d", prices[#prices], math.max(table.unpack(prices)), math.min(table.unpack(prices)), s20[#s20], s50[#s50], cross))
