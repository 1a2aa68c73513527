local W, H = 48, 48
local seed = 23
local cells = {}
for y = 0, H - 1 do for x = 0, W - 1 do seed = seed * 48271 % 2147483647; if seed % 3 == 0 then cells[y * W + x] = true end end end
for _ = 1, 60 do
  local counts = {}
  for c in pairs(cells) do
    local x, y = c % W, c // W
    for dx = -1, 1 do for dy = -1, 1 do
      if dx ~= 0 or dy ~= 0 then local k = ((y + dy) % H) * W + (x + dx) % W; counts[k] = (counts[k] or 0) + 1 end
    end end
  end
  local nxt = {}
  for k, n in pairs(counts) do if n == 3 or (n == 2 and cells[k]) then nxt[k] = true end end
  cells = nxt
end
local n, minx, maxx = 0, nil, nil
for c in pairs(cells) do
  n = n + 1
  local key = (c % W) * 1000 + c // W
  if not minx or key < minx then minx = key end
  if not maxx or key > maxx then maxx = key end
end
print(n, minx // 1000, minx % 1000, maxx // 1000, maxx % 1000)
