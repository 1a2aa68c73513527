local memo = {}
local function fib(n)
  if n < 2 then return n end
  if not memo[n] then memo[n] = fib(n - 1) + fib(n - 2) end
  return memo[n]
end
local out = {}
for i = 0, 74, 7 do out[#out + 1] = fib(i) end
print(table.concat(out, " "))
local wm = {}
local function ways(n, coins, k)
  if n == 0 then return 1 end
  if n < 0 or k > #coins then return 0 end
  local key = n * 100 + k
  if not wm[key] then wm[key] = ways(n - coins[k], coins, k) + ways(n, coins, k + 1) end
  return wm[key]
end
print(ways(500, {1, 2, 5, 10, 20, 50, 100, 200}, 1))
