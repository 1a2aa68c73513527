local function lev(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = {[0] = i}
    for j = 1, #b do cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a:sub(i, i) == b:sub(j, j) and 0 or 1)) end
    prev = cur
  end
  return prev[#b]
end
local out = {}
for _, p in ipairs({{"kitten", "sitting"}, {"flaw", "lawn"}, {"intention", "execution"}, {"", "abc"}, {"same", "same"}}) do out[#out + 1] = lev(p[1], p[2]) end
print(table.concat(out, " "))
local words = {"apple", "apply", "ape", "maple", "people", "applet", "happen", "pale"}
table.sort(words, function(x, y) local dx, dy = lev(x, "appel"), lev(y, "appel"); if dx ~= dy then return dx < dy end return x < y end)
print(table.concat(words, " ", 1, 4))
