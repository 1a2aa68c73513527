local xs, ys = {}, {}
for i = 0, 199 do xs[#xs + 1] = i * 0.5; ys[#ys + 1] = 3.2 * i * 0.5 + 7 + ((i * 37) % 11 - 5) * 0.3 end
local n = #xs
local mx, my = 0, 0
for i = 1, n do mx, my = mx + xs[i], my + ys[i] end
mx, my = mx / n, my / n
local sxy, sxx, syy = 0, 0, 0
for i = 1, n do sxy = sxy + (xs[i] - mx) * (ys[i] - my); sxx = sxx + (xs[i] - mx) ^ 2; syy = syy + (ys[i] - my) ^ 2 end
local slope = sxy / sxx
local intercept = my - slope * mx
print(string.format("slope=%.5f intercept=%.5f r=%.6f", slope, intercept, sxy / math.sqrt(sxx * syy)))
local se = 0
for i = 1, n do se = se + (slope * xs[i] + intercept - ys[i]) ^ 2 end
print(string.format("rmse=%.5f", math.sqrt(se / n)))
