local function parse(rec)
  if rec.age == nil then error({field = "age", msg = "missing"}) end
  local age = tonumber(rec.age)
  if not age then error({field = "age", msg = "not a number"}) end
  if age < 0 then error({field = "age", msg = "negative"}) end
  return age
end
local log = {}
for _, rec in ipairs({{age = "31"}, {}, {age = "x"}, {age = "-4"}, {age = "7"}}) do
  local ok, res = pcall(parse, rec)
  log[#log + 1] = ok and ("ok " .. res) or ("err " .. res.field .. ": " .. res.msg)
end
print(table.concat(log, "; "))
local ok, err = pcall(error, "plain message", 0)
print(ok, err)
print(xpcall(function() return ({})[1].x end, function(m) return "handled: " .. (m:gsub("^.-:%d+: ", "")) end))
print(pcall(error))
print(select("#", pcall(error, nil)), tostring(select(2, pcall(error, setmetatable({}, {__tostring = function() return "custom" end})))))
