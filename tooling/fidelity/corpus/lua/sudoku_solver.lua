local grid = {}
for row in ("530070000 600195000 098000060 800060003 400803001 700020006 060000280 000419005 000080079"):gmatch("%d+") do
  local r = {}
  for d in row:gmatch("%d") do r[#r + 1] = tonumber(d) end
  grid[#grid + 1] = r
end
local function ok(r, c, v)
  for i = 1, 9 do if grid[r][i] == v or grid[i][c] == v then return false end end
  local br, bc = (r - 1) // 3 * 3, (c - 1) // 3 * 3
  for i = 1, 3 do for j = 1, 3 do if grid[br + i][bc + j] == v then return false end end end
  return true
end
local function solve()
  for r = 1, 9 do for c = 1, 9 do
    if grid[r][c] == 0 then
      for v = 1, 9 do
        if ok(r, c, v) then grid[r][c] = v; if solve() then return true end; grid[r][c] = 0 end
      end
      return false
    end
  end end
  return true
end
print(solve())
for _, r in ipairs(grid) do print(table.concat(r)) end
