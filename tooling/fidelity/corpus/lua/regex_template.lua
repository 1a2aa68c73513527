local template = "Hello {{name}}, your order #{{order}} of {{count}} items ships on {{date}}. {{missing}}"
local values = {name = "Ada", order = "A-1029", count = "3", date = "2024-07-01"}
print((template:gsub("{{(%w+)}}", function(k) return values[k] or "<" .. k .. ">" end)))
local out = {}
for _, w in ipairs({"camelCase", "getValue", "simple", "parseHTTPRequest"}) do
  out[#out + 1] = (w:gsub("(%l)(%u)", "%1_%2"):lower())
end
print(table.concat(out, " "))
local fields = {}
for f in ("a , b;c ;d,e"):gmatch("[^,;]+") do fields[#fields + 1] = f:match("^%s*(.-)%s*$") end
print(table.concat(fields, "|"))
print((("x1 y22 z333"):gsub("%d+", function(d) return tostring(tonumber(d) * 2) end)))
local y, m = ("on 2024-07-01"):match("(%d%d%d%d)-(%d%d)")
print(y, m, (("a1b2c3"):gsub("%a", "")))
