local files = {{"README.md", "# proj\n"}, {"main.lua", string.rep("print('x')\n", 10)}, {"helpers.lua", string.rep("local function f() end\n", 3)}, {"test_main.lua", "assert(true)\n"}, {"guide.txt", string.rep("guide ", 50)}}
local total = 0
for _, f in ipairs(files) do
  local h = assert(io.open("proj_" .. f[1], "w"))
  h:write(f[2])
  h:close()
end
table.sort(files, function(a, b) return a[1] < b[1] end)
for _, f in ipairs(files) do
  local h = assert(io.open("proj_" .. f[1], "rb"))
  local size = h:seek("end")
  h:close()
  total = total + size
  print("proj_" .. f[1], size)
end
print("total", total, io.open("missing.txt") == nil, select(2, io.open("missing.txt")) ~= nil)
