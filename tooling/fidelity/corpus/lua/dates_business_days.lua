local holidays = {["2024-01-01"] = true, ["2024-07-04"] = true, ["2024-12-25"] = true, ["2024-11-28"] = true}
local ts = os.time({year = 2024, month = 1, day = 1, hour = 12})
local count, per_month = 0, {}
while os.date("!%Y", ts) == "2024" do
  local d = os.date("!*t", ts)
  if d.wday ~= 1 and d.wday ~= 7 and not holidays[os.date("!%Y-%m-%d", ts)] then
    count = count + 1
    per_month[d.month] = (per_month[d.month] or 0) + 1
  end
  ts = ts + 86400
end
print(count)
print(table.concat(per_month, " "))
