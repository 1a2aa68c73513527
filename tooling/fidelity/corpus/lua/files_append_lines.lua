os.remove("events.log")
for batch = 0, 19 do
  local f = assert(io.open("events.log", "a"))
  for i = 0, 49 do f:write(string.format("batch=%d item=%d value=%d\n", batch, i, (batch * 50 + i) ^ 2 // 1 % 1009)) end
  f:close()
end
local lines, sum = {}, 0
for l in io.lines("events.log") do lines[#lines + 1] = l; sum = sum + tonumber(l:match("value=(%d+)")) end
print(#lines, lines[1], lines[#lines])
print(sum)
local f = io.open("events.log", "rb")
f:seek("end", -20)
print(string.format("%q", f:read("a")))
f:close()
