for i = 0, 9 do local f = assert(io.open("file" .. i .. ".txt", "w")); f:write(string.rep(tostring(i), i + 1)); f:close() end
for i = 0, 9 do
  if i % 2 == 0 then assert(os.rename("file" .. i .. ".txt", "even_" .. i .. ".txt"))
  elseif i % 3 == 0 then assert(os.remove("file" .. i .. ".txt")) end
end
local function exists(p) local f = io.open(p); if f then f:close(); return true end; return false end
local present = {}
for i = 0, 9 do
  if exists("file" .. i .. ".txt") then present[#present + 1] = "file" .. i end
  if exists("even_" .. i .. ".txt") then present[#present + 1] = "even_" .. i end
end
print(table.concat(present, " "))
local f = io.open("even_4.txt"); local s = f:read("a"); f:close()
local ok, msg = os.remove("nope.txt")
print(s, exists("file3.txt"), ok, msg)
