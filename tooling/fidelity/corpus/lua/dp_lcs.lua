local function lcs(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = 0 end
  for i = 1, #a do
    local cur = {[0] = 0}
    local ca = a:byte(i)
    for j = 1, #b do
      if ca == b:byte(j) then cur[j] = prev[j - 1] + 1 else cur[j] = math.max(prev[j], cur[j - 1]) end
    end
    prev = cur
  end
  return prev[#b]
end
local seed = 6
local function s(n)
  local out = {}
  for i = 1, n do seed = seed * 48271 % 2147483647; local k = seed % 4 + 1; out[i] = ("ACGT"):sub(k, k) end
  return table.concat(out)
end
local a, b = s(600), s(600)
print(lcs(a, b), lcs("AGGTAB", "GXTXAYB"), lcs(a:sub(1, 100), a:sub(51, 150)))
