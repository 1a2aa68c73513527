local function build(depth, label)
  local node = {label = label, children = {}}
  if depth > 0 then for k = 0, 2 do node.children[#node.children + 1] = build(depth - 1, label * 3 + k) end end
  return node
end
local tree = build(8, 1)
local function count(n) local c = 1; for _, ch in ipairs(n.children) do c = c + count(ch) end; return c end
local function total(n) local t = n.label; for _, ch in ipairs(n.children) do t = t + total(ch) end; return t end
local function height(n) local h = 0; for _, ch in ipairs(n.children) do h = math.max(h, height(ch)) end; return h + 1 end
local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
print(count(tree), total(tree) % 1000003, height(tree), deep(900))
