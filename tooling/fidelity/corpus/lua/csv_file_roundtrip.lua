local f = assert(io.open("users.csv", "w"))
f:write("id,name,score,active\n")
for i = 1, 500 do f:write(string.format("%d,user%d,%d,%s\n", i, i, (i * 37) % 101, tostring(i % 3 ~= 0))) end
f:close()
local back, active, sum = {}, 0, 0
local best
for line in io.lines("users.csv") do
  local id, name, score, act = line:match("^(%d+),([^,]+),(%d+),(%a+)$")
  if id then
    local r = {id = tonumber(id), name = name, score = tonumber(score), active = act == "true"}
    back[#back + 1] = r
    if r.active then active = active + 1; sum = sum + r.score end
    if not best or r.score > best.score then best = r end
  end
end
print(#back, active, string.format("%.3f", sum / active))
print(best.name)
local fh = io.open("users.csv", "rb")
print(fh:seek("end"))
fh:close()
