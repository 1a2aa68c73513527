local function primes()
  return coroutine.wrap(function()
    local found = {}
    local n = 2
    while true do
      local prime = true
      for _, p in ipairs(found) do
        if p * p > n then break end
        if n % p == 0 then prime = false; break end
      end
      if prime then found[#found + 1] = n; coroutine.yield(n) end
      n = n + 1
    end
  end)
end
local ps, sum = {}, 0
for p in primes() do ps[#ps + 1] = p; sum = sum + p; if #ps == 2000 then break end end
print(table.concat(ps, " ", 1, 10), ps[#ps], sum)
