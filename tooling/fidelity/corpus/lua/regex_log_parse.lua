local levels = {"INFO", "WARN", "ERROR", "DEBUG"}
local by_level, by_hour, slow = {}, {}, 0
for i = 0, 4999 do
  local line = string.format("2024-05-%02d %02d:%02d:%02d [%s] service-%d: request %d took %dms", 1 + i % 30, i % 24, i % 60, (i * 7) % 60, levels[(i * i) % 4 + 1], i % 5, i, (i * 13) % 997)
  local date, hour, level, svc, req, ms = line:match("^(%d%d%d%d%-%d%d%-%d%d) (%d%d):%d%d:%d%d %[(%a+)%] ([%w-]+): request (%d+) took (%d+)ms$")
  if date then
    by_level[level] = (by_level[level] or 0) + 1
    by_hour[hour] = (by_hour[hour] or 0) + 1
    if tonumber(ms) > 900 then slow = slow + 1 end
  end
end
local function sorted(t)
  local out = {}
  for k, v in pairs(t) do out[#out + 1] = k .. "=" .. v end
  table.sort(out)
  return out
end
print(table.concat(sorted(by_level), " "))
print(table.concat(sorted(by_hour), " ", 1, 6))
print("slow", slow)
