local n = 100
local a, b, c = {}, {}, {}
for i = 0, n - 1 do
  a[i + 1], b[i + 1] = {}, {}
  for j = 0, n - 1 do a[i + 1][j + 1] = (i * j + 1) % 17; b[i + 1][j + 1] = (i + 2 * j) % 13 end
end
local total, max = 0, 0
for i = 1, n do
  c[i] = {}
  for j = 1, n do
    local s = 0
    for k = 1, n do s = s + a[i][k] * b[k][j] end
    c[i][j] = s
    total = total + s
    if s > max then max = s end
  end
end
print(c[1][1], c[n][n], total)
print(max)
