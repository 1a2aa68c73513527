local function perms(xs)
  if #xs <= 1 then return {xs} end
  local out = {}
  for i = 1, #xs do
    local rest = {}
    for j = 1, #xs do if j ~= i then rest[#rest + 1] = xs[j] end end
    for _, p in ipairs(perms(rest)) do table.insert(p, 1, xs[i]); out[#out + 1] = p end
  end
  return out
end
local ps = perms({"a", "b", "c", "d", "e", "f", "g"})
print(#ps, table.concat(ps[1]), table.concat(ps[#ps]), table.concat(ps[1001]))
local function subsets(xs, i)
  i = i or 1
  if i > #xs then return {{}} end
  local rest = subsets(xs, i + 1)
  local out = {}
  for _, r in ipairs(rest) do out[#out + 1] = r end
  for _, r in ipairs(rest) do local s = {xs[i]}; for _, v in ipairs(r) do s[#s + 1] = v end; out[#out + 1] = s end
  return out
end
local xs = {}
for i = 0, 11 do xs[#xs + 1] = i end
local ss, hit = subsets(xs), 0
for _, s in ipairs(ss) do local t = 0; for _, v in ipairs(s) do t = t + v end; if t == 20 then hit = hit + 1 end end
print(#ss, hit)
