local seed = 42
local function rnd() seed = seed * 48271 % 2147483647; return seed / 2147483647 end
local regions = {"north", "south", "east", "west"}
local products = {"widget", "gadget", "doohickey", "gizmo", "thingamajig"}
local lines = {"date,region,product,units,price"}
for i = 0, 1999 do
  lines[#lines + 1] = string.format("2024-%02d-%02d,%s,%s,%d,%.2f", 1 + i % 12, 1 + i % 28, regions[math.floor(rnd() * 4) + 1], products[math.floor(rnd() * 5) + 1], 1 + math.floor(rnd() * 20), 5 + rnd() * 95)
end
local text = table.concat(lines, "\n")
local totals, units, keys = {}, {}, {}
local first = true
for line in text:gmatch("[^\n]+") do
  if first then first = false else
    local _, region, product, u, price = line:match("^([^,]*),([^,]*),([^,]*),([^,]*),([^,]*)$")
    local key = region .. "|" .. product
    if not totals[key] then totals[key] = 0; keys[#keys + 1] = key end
    totals[key] = totals[key] + tonumber(u) * tonumber(price)
    units[region] = (units[region] or 0) + tonumber(u)
  end
end
table.sort(keys)
for _, key in ipairs(keys) do
  local region, product = key:match("([^|]+)|(.+)")
  print(string.format("%-6s %-12s %12.2f", region, product, totals[key]))
end
local us = {}
for k, v in pairs(units) do us[#us + 1] = k .. "=" .. v end
table.sort(us)
print("units " .. table.concat(us, ","))
