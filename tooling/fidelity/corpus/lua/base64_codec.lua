local A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function enc(s)
  return ((s:gsub(".", function(c) local r, b = "", c:byte(); for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0") end; return r end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return A:sub(c + 1, c + 1)
  end) .. ({"", "==", "="})[#s % 3 + 1])
end
local function dec(s)
  s = s:gsub("[^" .. A .. "=]", "")
  return (s:gsub(".", function(x)
    if x == "=" then return "" end
    local r, f = "", A:find(x, 1, true) - 1
    for i = 6, 1, -1 do r = r .. (f % 2 ^ i - f % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end):gsub("%d%d%d?%d?%d?%d?%d?%d?", function(x)
    if #x ~= 8 then return "" end
    local c = 0
    for i = 1, 8 do c = c + (x:sub(i, i) == "1" and 2 ^ (8 - i) or 0) end
    return string.char(math.floor(c))
  end))
end
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
for _, s in ipairs({"", "f", "fo", "foo", "foobar", "héllo wörld", table.concat(all)}) do
  local e = enc(s)
  assert(dec(e) == s)
  print(#s, e:sub(1, 40))
end
local big = {}
for i = 0, 9999 do big[#big + 1] = string.char((i * i) % 251) end
big = table.concat(big)
local e = enc(big)
print(#e, e:sub(-16), dec(e) == big)
