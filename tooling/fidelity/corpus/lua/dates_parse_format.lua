for _, s in ipairs({"2024-03-15T10:30:00Z", "2023-12-31T23:59:59Z", "2024-02-29T12:00:00Z"}) do
  local y, mo, d, h, mi, se = s:match("(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)Z")
  local ts = os.time({year = tonumber(y), month = tonumber(mo), day = tonumber(d), hour = tonumber(h), min = tonumber(mi), sec = tonumber(se)})
  local later = ts + 36 * 3600 + 15 * 60
  print(os.date("!%d %b %Y %H:%M", ts), "->", os.date("!%Y-%m-%dT%H:%M:%SZ", later), ts)
end
print(os.date("!%Y-%m-%dT%H:%M:%S", 1700000000), os.date("!%c", 0))
