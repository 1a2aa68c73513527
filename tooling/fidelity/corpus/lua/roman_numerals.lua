local VALS = {{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}}
local function to_roman(n)
  local out = {}
  for _, p in ipairs(VALS) do while n >= p[1] do out[#out + 1] = p[2]; n = n - p[1] end end
  return table.concat(out)
end
local M = {I = 1, V = 5, X = 10, L = 50, C = 100, D = 500, M = 1000}
local function from_roman(s)
  local t = 0
  for i = 1, #s do
    local v, nxt = M[s:sub(i, i)], M[s:sub(i + 1, i + 1)]
    t = t + ((nxt and nxt > v) and -v or v)
  end
  return t
end
local ok, longest, len = true, 0, 0
for n = 1, 3999 do local r = to_roman(n); if from_roman(r) ~= n then ok = false end; if #r >= len then len, longest = #r, n end end
print(ok, to_roman(1994), to_roman(3888), from_roman("MMXXIV"))
print(longest)
