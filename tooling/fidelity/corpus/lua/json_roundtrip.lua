local function encode(v, indent, level)
  level = level or 0
  local t = type(v)
  if v == nil then return "null"
  elseif t == "boolean" then return tostring(v)
  elseif t == "number" then return math.type(v) == "integer" and tostring(v) or string.format("%.14g", v)
  elseif t == "string" then return '"' .. v:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
  end
  local pad = indent and "\n" .. string.rep(" ", indent * (level + 1)) or ""
  local close = indent and "\n" .. string.rep(" ", indent * level) or ""
  local sep = indent and ": " or ":"
  if v[1] ~= nil or next(v) == nil and v.__array then
    local parts = {}
    for _, x in ipairs(v) do parts[#parts + 1] = pad .. encode(x, indent, level + 1) end
    return "[" .. table.concat(parts, ",") .. close .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = pad .. encode(k) .. sep .. encode(v[k], indent, level + 1) end
  return "{" .. table.concat(parts, ",") .. close .. "}"
end
local doc = {name = "report", version = 3, tags = {"a", "b", "ü"}, nested = {x = 1.5, z = {true, false}}, count = 10^12 // 1}
print(encode(doc))
print(encode(doc, 2))
