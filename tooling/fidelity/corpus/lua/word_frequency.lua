local words = {}
for w in ("the quick brown fox jumps over the lazy dog and the cat sat on the mat while a bird sang"):gmatch("%S+") do words[#words + 1] = w end
local seed = 8
local text = {}
for i = 1, 50000 do seed = seed * 48271 % 2147483647; text[i] = words[seed % #words + 1] end
local doc = table.concat(text, " ")
local freq, list = {}, {}
for w in doc:gmatch("%a+") do
  if not freq[w] then list[#list + 1] = w end
  freq[w] = (freq[w] or 0) + 1
end
table.sort(list, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
for i = 1, 10 do print(string.format("%-6s %d", list[i], freq[list[i]])) end
print(#doc, #list)
