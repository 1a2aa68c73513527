local seen, xs = {}, {}
for i = 0, 99999 do local v = (i * 7919) % 1000003; if not seen[v] then seen[v] = true; xs[#xs + 1] = v end end
table.sort(xs)
local function bsearch(arr, x)
  local lo, hi = 1, #arr
  while lo <= hi do
    local mid = (lo + hi) // 2
    if arr[mid] == x then return mid end
    if arr[mid] < x then lo = mid + 1 else hi = mid - 1 end
  end
  return -1
end
local found = 0
for q = 0, 1000002, 7 do if bsearch(xs, q) > 0 then found = found + 1 end end
print(#xs, found, bsearch(xs, 7919))
