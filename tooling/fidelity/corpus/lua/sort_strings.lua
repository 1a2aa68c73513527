local seed = 5
local letters = "abcdefghijklmnopqrstuvwxyz"
local words, seen, uniq = {}, {}, 0
for i = 0, 99999 do
  local w = {}
  for k = 1, 3 + i % 6 do seed = seed * 48271 % 2147483647; local j = seed % 26 + 1; w[k] = letters:sub(j, j) end
  local s = table.concat(w)
  words[#words + 1] = s
  if not seen[s] then seen[s] = true; uniq = uniq + 1 end
end
table.sort(words)
print(words[1], words[2], words[3], words[#words])
table.sort(words, function(a, b) if #a ~= #b then return #a < #b end return a < b end)
print(words[1], words[#words], uniq)
