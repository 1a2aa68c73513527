local parts = {}
for i = 0, 99999 do parts[#parts + 1] = string.format("%05d:%s", i, i % 3 == 0 and "y" or "x") end
local s = table.concat(parts, ",")
print(#s, s:sub(1, 30), s:sub(-20))
print(select(2, s:gsub("y", "")), s:find("50000", 1, true), s:upper():sub(1, 12))
print(select(2, s:gsub(",", ";\n")) + 1)
