local parts = {}
for i = 0, 299 do parts[#parts + 1] = string.format("contact user%d@example%d.com or admin@site%d.org; bad@x, also First.Last+%d@mail.co.uk", i, i % 7, i % 3, i % 5) end
local text = table.concat(parts, " ")
local emails, seen, uniq, domains = {}, {}, {}, {}
for e in text:gmatch("[%w._%%+-]+@[%w.-]+%.%a%a+") do
  emails[#emails + 1] = e
  if not seen[e] then seen[e] = true; uniq[#uniq + 1] = e end
  local d = e:match("@(.+)$")
  domains[d] = (domains[d] or 0) + 1
end
table.sort(uniq)
print(#emails, #uniq)
print(table.concat(uniq, " ", 1, 5))
local ds = {}
for d, c in pairs(domains) do ds[#ds + 1] = {d, c} end
table.sort(ds, function(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] < b[1] end)
for i = 1, 4 do io.write(ds[i][1], "=", ds[i][2], " ") end
print()
