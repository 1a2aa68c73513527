local seed = 7
local function rnd() seed = seed * 48271 % 2147483647; return seed / 2147483647 end
local totals, nitems = {}, 0
local parts = {}
for i = 0, 4999 do
  local c = string.format("c%02d", math.floor(rnd() * 50))
  local items = {}
  for _ = 1, 1 + math.floor(rnd() * 4) do
    items[#items + 1] = string.format('{"sku":"s%d","qty":%d,"price":%.2f}', math.floor(rnd() * 20), 1 + math.floor(rnd() * 5), rnd() * 100)
  end
  parts[#parts + 1] = string.format('{"id":%d,"customer":"%s","items":[%s]}', i, c, table.concat(items, ","))
end
local json = "[" .. table.concat(parts, ",") .. "]"
local orders = 0
for customer, items in json:gmatch('"customer":"(c%d+)","items":%[(.-)%]') do
  orders = orders + 1
  for qty, price in items:gmatch('"qty":(%d+),"price":([%d.]+)') do
    totals[customer] = (totals[customer] or 0) + tonumber(qty) * tonumber(price)
    nitems = nitems + 1
  end
end
local list = {}
for c, t in pairs(totals) do list[#list + 1] = {c, t} end
table.sort(list, function(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] < b[1] end)
for i = 1, 5 do print(list[i][1], string.format("%.2f", list[i][2])) end
print(orders, nitems, #json)
