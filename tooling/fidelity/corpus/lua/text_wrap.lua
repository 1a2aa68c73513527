local text = string.rep(string.rep("The quick brown fox jumps over the lazy dog. ", 6) .. "Supercalifragilisticexpialidocious words happen. ", 2)
local function wrap(t, width)
  local lines, cur = {}, ""
  for w in t:gmatch("%S+") do
    if #cur > 0 and #cur + 1 + #w > width then lines[#lines + 1] = cur; cur = w
    else cur = #cur == 0 and w or cur .. " " .. w end
  end
  if #cur > 0 then lines[#lines + 1] = cur end
  return lines
end
for _, l in ipairs(wrap(text, 40)) do print(string.format("|%-40s|", l)) end
local w20, max = wrap(text, 20), 0
for _, l in ipairs(w20) do max = math.max(max, #l) end
print(#w20, max)
