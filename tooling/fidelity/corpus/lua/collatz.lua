local cache = {[1] = 1}
local best, best_n = 0, 0
for n = 1, 299999 do
  local path, m = {}, n
  while not cache[m] do path[#path + 1] = m; if m % 2 == 0 then m = m // 2 else m = 3 * m + 1 end end
  local l = cache[m]
  for i = #path, 1, -1 do l = l + 1; cache[path[i]] = l end
  if l > best then best, best_n = l, n end
end
print(best_n, best)
