local function t(y, m, d) return os.time({year = y, month = m, day = d, hour = 12}) end
for months = 0, 5 do
  local m = 1 + months
  local last = os.date("*t", os.time({year = 2024, month = m + 1, day = 0, hour = 12})).day
  local ts = t(2024, m, math.min(31, last))
  print(os.date("!%Y-%m-%d %A", ts))
end
print(os.date("!%Y-%m-%d", t(2024, 1, 31) + 100 * 86400))
print(math.floor((t(2025, 3, 1) - t(2024, 3, 1)) / 86400 + 0.5))
print(os.date("!%G %V", t(2024, 12, 30)), os.date("!%j %U %w", t(2024, 3, 1)))
