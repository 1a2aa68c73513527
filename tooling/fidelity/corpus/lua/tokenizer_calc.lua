local function evaluate(src)
  local tokens = {}
  for num, op in src:gmatch("%s*(%d*%.?%d*)%s*([-+*/()]?)") do
    if num ~= "" then tokens[#tokens + 1] = tonumber(num) end
    if op ~= "" then tokens[#tokens + 1] = op end
  end
  local pos = 1
  local expr, term, factor
  function expr()
    local v = term()
    while tokens[pos] == "+" or tokens[pos] == "-" do
      local op = tokens[pos]; pos = pos + 1
      local r = term()
      v = op == "+" and v + r or v - r
    end
    return v
  end
  function term()
    local v = factor()
    while tokens[pos] == "*" or tokens[pos] == "/" do
      local op = tokens[pos]; pos = pos + 1
      local r = factor()
      v = op == "*" and v * r or v / r
    end
    return v
  end
  function factor()
    local t = tokens[pos]; pos = pos + 1
    if t == "(" then local v = expr(); pos = pos + 1; return v end
    if t == "-" then return -factor() end
    return t
  end
  return expr()
end
for _, e in ipairs({"1 + 2 * 3", "(1 + 2) * 3", "10 / 4 - 1.5", "-(2 + 3) * (4 - 6)", "2 * (3 + (4 - 1) * 2) / 3"}) do print(e, "=", evaluate(e)) end
