local W, H = 120, 120
local function wall(x, y) return (x * 7 + y * 13) % 11 == 0 and not (x == 0 and y == 0) end
local dist = {[0] = 0}
local q, head = {0}, 1
local max = 0
while head <= #q do
  local cur = q[head]; head = head + 1
  local x, y = cur % W, cur // W
  for _, d in ipairs({{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) do
    local nx, ny = x + d[1], y + d[2]
    local k = ny * W + nx
    if nx >= 0 and nx < W and ny >= 0 and ny < H and not wall(nx, ny) and not dist[k] then
      dist[k] = dist[cur] + 1
      if dist[k] > max then max = dist[k] end
      q[#q + 1] = k
    end
  end
end
print(#q, dist[W * H - 1], max)
